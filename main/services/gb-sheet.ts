import type { GbSettings } from '../../preload/contract';

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The printable GB28181 sheet for one device: the values to type into the camera, with the
 * password the platform generated, and a QR code of them all (for the installer's phone).
 */
export async function gbSheetHtml(settings: GbSettings, password: string, deviceName: string | null): Promise<string> {
  const rows: Array<[string, string]> = [
    ['SIP server ID / SIP服务器编号', settings.sipServerId ?? '-'],
    ['SIP domain / SIP域', settings.sipDomain ?? '-'],
    ['SIP server / SIP服务器地址', `${settings.sipHost ?? '-'}:${settings.sipPort ?? '-'}`],
    ['Device ID / 设备编号', settings.deviceId],
    ['User / 用户名', settings.username ?? settings.deviceId],
    ['Password / 密码', password],
    ...(settings.algorithm ? [['Digest / 摘要算法', settings.algorithm] as [string, string]] : []),
  ];
  const channels = settings.channelIds ?? [];
  const qrText = [
    ...rows.map(([k, v]) => `${k.split(' / ')[0]}: ${v}`),
    ...channels.map((c, i) => `Channel ${i + 1}: ${c}`),
  ].join('\n');
  // Loaded on the first sheet: the browser host does not load it before it can answer a window.
  const { default: QRCode } = await import('qrcode');
  const qr = await QRCode.toDataURL(qrText, { margin: 1, width: 200 });
  return `<!doctype html><html><head><meta charset="utf-8"><title>GB28181 ${escape(settings.deviceId)}</title>
<style>body{font:14px system-ui,sans-serif;margin:24px;color:#111}table{border-collapse:collapse}td{border:1px solid #999;padding:4px 10px}td:first-child{color:#555}code{font-size:15px}.keep{margin-top:16px;color:#a00}</style></head>
<body><h2>GB28181 — ${escape(deviceName ?? settings.deviceId)}</h2>
<div style="display:flex;gap:24px;align-items:flex-start"><table>${rows.map(([k, v]) => `<tr><td>${escape(k)}</td><td><code data-field="${escape(k.split(' / ')[0]!)}">${escape(v)}</code></td></tr>`).join('')}</table>
<img src="${qr}" width="200" height="200" alt="QR"></div>
${channels.length ? `<h3>Channels / 通道编号</h3><ol>${channels.map((c) => `<li><code>${escape(c)}</code></li>`).join('')}</ol>` : ''}
<p class="keep">This sheet carries the device password: hand it to the installer only, and destroy it after use. / 本页含设备密码，仅交给安装人员，用后销毁。</p>
</body></html>`;
}
