import { ApartmentOutlined, ReloadOutlined, StarFilled, StarOutlined, VideoCameraOutlined } from '@ant-design/icons';
import { Alert, App as AntApp, Button, Input, Space, Tag, Tree, Typography } from 'antd';
import type { DataNode } from 'antd/es/tree';
import { useDeferredValue, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Account, TreeNode } from '../../../preload/contract';
import { useAccountsStore } from '../../stores/accounts/store';
import { useShallow } from 'zustand/react/shallow';
import {
  selectFavouriteActions,
  selectFavourites,
  selectLayoutActions,
  selectTreeActions,
  selectTrees,
} from '../../stores/wall/selectors';
import { useWallStore, type PaneContent } from '../../stores/wall/store';
import { buildTree, channelsUnder, filterTree, keyOf } from '../../model/tree';
import { useElementHeight } from '../common/useElementHeight';

/** The favourites section's root key, and its entries' (`★|accountId|channelId`): apart from the accounts' keys. */
const FAV = '★';
const favKey = (n: Pick<TreeNode, 'accountId' | 'id'>) => `${FAV}|${keyOf(n)}`;

/**
 * One tree across every account: favourites first, then account → group → device → channel,
 * with a search box over both.
 */
export function DeviceTree({ onOpen }: { onOpen?: (items: PaneContent[]) => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const accounts = useAccountsStore((s) => s.accounts);
  const accountsLoaded = useAccountsStore((s) => s.loaded);
  const trees = useWallStore(selectTrees);
  const favourites = useWallStore(selectFavourites);
  const { loadTree } = useWallStore(useShallow(selectTreeActions));
  const { assign, fill } = useWallStore(useShallow(selectLayoutActions));
  const { loadFavourites, toggleFavourite } = useWallStore(useShallow(selectFavouriteActions));
  const [query, setQuery] = useState('');
  // The virtual list needs its height in pixels: whatever its column leaves it (a docked PTZ pad under it).
  const listRef = useRef<HTMLDivElement>(null);
  const listHeight = useElementHeight(listRef);
  const deferred = useDeferredValue(query);
  // null: as opened (accounts and favourites expanded); then what the operator expands.
  const [expanded, setExpanded] = useState<string[] | null>(null);

  useEffect(() => {
    for (const a of accounts) if (!trees[a.id]) void loadTree(a.id);
  }, [accounts, trees, loadTree]);
  useEffect(() => {
    void loadFavourites().then((e) => {
      if (e) void message.warning(e.message);
    });
  }, [loadFavourites, message, accounts]);

  const allNodes = useMemo(() => accounts.flatMap((a) => accountNodes(a, trees[a.id]?.nodes ?? [])), [accounts, trees]);
  const model = useMemo(() => buildTree(allNodes), [allNodes]);
  const visible = useMemo(() => filterTree(model, deferred), [model, deferred]);

  // A favourite shows its channel's live name and state once the account's tree is loaded.
  const favNodes = useMemo(
    () =>
      favourites.flatMap((f): TreeNode[] => {
        const account = accounts.find((a) => a.id === f.accountId);
        if (!account) return [];
        return [
          model.byKey.get(keyOf({ accountId: f.accountId, id: f.channelId })) ?? {
            accountId: f.accountId,
            id: f.channelId,
            parentId: null,
            kind: 'channel',
            name: f.name,
            status: 'unknown',
            ptz: null,
            platform: account.config.platform,
          },
        ];
      }),
    [favourites, model, accounts],
  );
  const favSet = useMemo(() => new Set(favourites.map((f) => `${f.accountId}|${f.channelId}`)), [favourites]);

  const data = useMemo(() => {
    const star = (n: TreeNode) => {
      if (n.kind !== 'channel') return undefined;
      const on = favSet.has(keyOf(n));
      return {
        on,
        toggle: () =>
          void toggleFavourite({ accountId: n.accountId, channelId: n.id, name: n.name }).then((e) => {
            if (e) void message.warning(e.message);
          }),
      };
    };
    const toData = (ids: string[]): DataNode[] =>
      ids.map((key) => {
        const n = model.byKey.get(key)!;
        const children = visible.children.get(key) ?? [];
        return {
          key,
          title: <NodeTitle node={n} star={star(n)} />,
          isLeaf: n.kind === 'channel',
          children: children.length ? toData(children) : undefined,
        };
      });
    const q = deferred.trim().toLowerCase();
    const favs = favNodes.filter((n) => !q || n.name.toLowerCase().includes(q));
    const favRoot: DataNode[] = favs.length
      ? [
          {
            key: FAV,
            title: (
              <span data-testid="favourites-root">
                <StarFilled style={{ color: '#faad14' }} /> {t('wall.favourites')} ({favs.length})
              </span>
            ),
            children: favs.map((n) => ({ key: favKey(n), title: <NodeTitle node={n} star={star(n)} />, isLeaf: true })),
          },
        ]
      : [];
    return [...favRoot, ...toData(visible.roots)];
  }, [visible, model, favNodes, favSet, deferred, toggleFavourite, message, t]);

  // One channel opens as asked, even offline; a group fills panes with the channels that can play.
  const contentOf = (key: string): PaneContent[] => {
    const fav = key === FAV ? favNodes : key.startsWith(`${FAV}|`) ? favNodes.filter((n) => favKey(n) === key) : null;
    const all = fav ?? channelsUnder(model, key);
    return (all.length > 1 ? all.filter((n) => n.status !== 'offline') : all).map((n) => ({
      accountId: n.accountId,
      channelId: n.id,
      name: n.name,
    }));
  };

  return (
    <div
      style={{ display: 'flex', flexDirection: 'column', height: '100%', flex: 1, minHeight: 0 }}
      data-testid="device-tree"
    >
      <Space.Compact style={{ padding: 6 }}>
        <Input.Search
          allowClear
          placeholder={t('wall.search')}
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          data-testid="tree-search"
        />
        <Button
          icon={<ReloadOutlined />}
          title={t('wall.reloadTree')}
          onClick={() => accounts.forEach((a) => void loadTree(a.id, true))}
        />
      </Space.Compact>
      {accounts.map(
        (a) =>
          trees[a.id]?.error && (
            <Alert key={a.id} type="warning" showIcon banner message={`${a.name}: ${trees[a.id]!.error}`} />
          ),
      )}
      {accounts.length === 0 && accountsLoaded && (
        <Typography.Paragraph style={{ padding: 12 }} type="secondary">
          {t('wall.noAccounts')}
        </Typography.Paragraph>
      )}
      <div ref={listRef} style={{ flex: 1, minHeight: 0 }}>
        <Tree
          virtual
          height={Math.max(120, listHeight)}
          blockNode
          showIcon={false}
          treeData={data}
          expandedKeys={deferred ? [FAV, ...visible.expanded] : (expanded ?? [FAV, ...visible.roots])}
          onExpand={(keys) => !deferred && setExpanded(keys.map(String))}
          onDoubleClick={(_, node) => {
            const items = contentOf(String(node.key));
            if (onOpen) onOpen(items);
            else if (items.length === 1) assign(useWallStore.getState().selected, items[0]!);
            else fill(items);
          }}
          draggable={{ icon: false, nodeDraggable: () => true }}
          allowDrop={() => false}
          onDragStart={({ event, node }) => {
            event.dataTransfer.setData('application/x-vigil-channels', JSON.stringify(contentOf(String(node.key))));
            event.dataTransfer.effectAllowed = 'copy';
          }}
        />
      </div>
    </div>
  );
}

function NodeTitle({ node, star }: { node: TreeNode; star?: { on: boolean; toggle(): void } | undefined }) {
  const { t } = useTranslation();
  const color = node.status === 'online' ? '#52c41a' : node.status === 'offline' ? '#8c8c8c' : undefined;
  return (
    <span data-testid={`node-${node.kind}`} data-node-id={node.id} style={{ whiteSpace: 'nowrap' }}>
      {node.kind === 'channel' ? (
        <VideoCameraOutlined style={{ color }} />
      ) : node.kind === 'account' ? (
        <ApartmentOutlined />
      ) : null}{' '}
      {node.name}
      {star ? (
        <span
          role="button"
          data-testid="favourite-toggle"
          data-on={star.on ? '' : undefined}
          title={star.on ? t('wall.unfavourite') : t('wall.favourite')}
          style={{ marginLeft: 4, color: star.on ? '#faad14' : '#595959', cursor: 'pointer' }}
          onClick={(e) => {
            e.stopPropagation();
            star.toggle();
          }}
          onDoubleClick={(e) => e.stopPropagation()}
        >
          {star.on ? <StarFilled /> : <StarOutlined />}
        </span>
      ) : null}
      {node.kind === 'channel' && node.ptz ? (
        <Tag color="blue" style={{ marginLeft: 4, fontSize: 10, lineHeight: '14px' }}>
          PTZ
        </Tag>
      ) : null}
      {node.kind === 'account' ? (
        <Tag style={{ marginLeft: 4, fontSize: 10, lineHeight: '14px' }}>{node.platform}</Tag>
      ) : null}
    </span>
  );
}

/** The account itself is the root node of its platform's tree. */
function accountNodes(a: Account, nodes: TreeNode[]): TreeNode[] {
  const root: TreeNode = {
    accountId: a.id,
    id: `account:${a.id}`,
    parentId: null,
    kind: 'account',
    name: a.name,
    status: 'unknown',
    ptz: null,
    platform: a.config.platform,
  };
  return [root, ...nodes.map((n) => ({ ...n, parentId: n.parentId ?? root.id }))];
}
