import * as L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import { Typography } from 'antd';
import { useEffect, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { TreeNode } from '../../../preload/contract';
import { geoCameras } from '../../model/map-pins';
import { useMapsStore } from '../../stores/maps/store';
import { selectTrees } from '../../stores/wall/selectors';
import { useWallStore } from '../../stores/wall/store';

/** One status colour language everywhere: online green, offline grey, unknown blue, alarm red. */
const COLOUR: Record<TreeNode['status'], string> = { online: '#52c41a', offline: '#8c8c8c', unknown: '#1677ff' };
const ALARM = '#ff4d4f';
const FLASH_CSS = `@keyframes vigil-geo-flash { 0%, 100% { fill-opacity: 1; } 50% { fill-opacity: 0.2; } } .vigil-geo-alarm { animation: vigil-geo-flash 0.8s ease-in-out infinite; }`;

/**
 * The geographic map: Leaflet over the raster tiles of the address the operator set (Leaflet:
 * a template URL of raster tiles is exactly its model, it is small and needs no WebGL, which
 * control-room PCs and remote desktops often lack), with a marker for every camera its platform
 * places (Alibaba VCS longitude and latitude) in its state colour; a click plays it as a pin does.
 * Loaded only when this tab opens, and only with a tile address: no request leaves before.
 */
export function GeoView({ tileUrl, alarmed }: { tileUrl: string; alarmed: ReadonlySet<string> }) {
  const { t } = useTranslation();
  const box = useRef<HTMLDivElement>(null);
  const map = useRef<L.Map | null>(null);
  const layer = useRef<L.LayerGroup | null>(null);
  const fitted = useRef(false);
  const trees = useWallStore(selectTrees);
  const play = useMapsStore((s) => s.play);
  const cameras = useMemo(() => geoCameras(Object.values(trees).flatMap((tr) => tr?.nodes ?? [])), [trees]);

  // The map: made once for its box and tile address, removed with them.
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const m = L.map(el, { center: [20, 110], zoom: 3, worldCopyJump: true, attributionControl: false });
    L.tileLayer(tileUrl, { maxZoom: 19, crossOrigin: false }).addTo(m);
    layer.current = L.layerGroup().addTo(m);
    map.current = m;
    fitted.current = false;
    const ro = new ResizeObserver(() => m.invalidateSize());
    ro.observe(el);
    return () => {
      ro.disconnect();
      m.remove();
      map.current = null;
      layer.current = null;
    };
  }, [tileUrl]);

  // The markers, drawn again when the cameras, their states or their alarms change.
  useEffect(() => {
    const m = map.current;
    const group = layer.current;
    if (!m || !group) return;
    group.clearLayers();
    for (const c of cameras) {
      const alarm = alarmed.has(c.key);
      const marker = L.circleMarker([c.lat, c.lng], {
        radius: 8,
        color: '#fff',
        weight: 2,
        fillColor: alarm ? ALARM : COLOUR[c.status],
        fillOpacity: 1,
        className: alarm ? 'vigil-geo-alarm' : '',
      });
      marker.bindTooltip(`${c.name} (${t(`maps.status.${c.status}`)})`, { direction: 'top', offset: [0, -8] });
      marker.on('click', () => play(c));
      marker.addTo(group);
      const el = marker.getElement();
      el?.setAttribute('data-testid', 'geo-pin');
      el?.setAttribute('data-channel-id', c.channelId);
      el?.setAttribute('data-status', c.status);
      if (alarm) el?.setAttribute('data-alarm', '');
    }
    // The first time cameras are known: the view holds them all.
    if (!fitted.current && cameras.length) {
      fitted.current = true;
      m.fitBounds(L.latLngBounds(cameras.map((c): L.LatLngTuple => [c.lat, c.lng])).pad(0.3), { maxZoom: 17 });
    }
  }, [cameras, alarmed, play, t]);

  return (
    <div style={{ flex: 1, minHeight: 0, display: 'flex', flexDirection: 'column' }}>
      <style>{FLASH_CSS}</style>
      {!cameras.length && (
        <Typography.Text type="secondary" style={{ padding: '4px 8px' }} data-testid="geo-none">
          {t('maps.geoNone')}
        </Typography.Text>
      )}
      <div ref={box} style={{ flex: 1, minHeight: 0 }} data-testid="geo-map" />
    </div>
  );
}
