import { ApartmentOutlined, ReloadOutlined, VideoCameraOutlined } from '@ant-design/icons';
import { Alert, Button, Input, Space, Tag, Tree, Typography } from 'antd';
import type { DataNode } from 'antd/es/tree';
import { useDeferredValue, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Account, TreeNode } from '../../../preload/contract';
import { useAccountsStore } from '../../stores/accounts/store';
import { useWallStore, type PaneContent } from '../../stores/wall/store';
import { buildTree, channelsUnder, filterTree } from './tree-model';

/** One tree across every account: account → group → device → channel, with a search box. */
export function DeviceTree({ height, onOpen }: { height: number; onOpen?: (items: PaneContent[]) => void }) {
  const { t } = useTranslation();
  const accounts = useAccountsStore((s) => s.accounts);
  const { trees, loadTree, assign, fill, selected } = useWallStore();
  const [query, setQuery] = useState('');
  const deferred = useDeferredValue(query);

  useEffect(() => {
    for (const a of accounts) if (!trees[a.id]) void loadTree(a.id);
  }, [accounts, trees, loadTree]);

  const allNodes = useMemo(() => accounts.flatMap((a) => accountNodes(a, trees[a.id]?.nodes ?? [])), [accounts, trees]);
  const model = useMemo(() => buildTree(allNodes), [allNodes]);
  const visible = useMemo(() => filterTree(model, deferred), [model, deferred]);

  const data = useMemo(() => {
    const toData = (ids: string[]): DataNode[] =>
      ids.map((key) => {
        const n = model.byKey.get(key)!;
        const children = visible.children.get(key) ?? [];
        return { key, title: <NodeTitle node={n} />, isLeaf: n.kind === 'channel', children: children.length ? toData(children) : undefined };
      });
    return toData(visible.roots);
  }, [visible, model]);

  // One channel opens as asked, even offline; a group fills panes with the channels that can play.
  const contentOf = (key: string): PaneContent[] => {
    const all = channelsUnder(model, key);
    return (all.length > 1 ? all.filter((n) => n.status !== 'offline') : all).map((n) => ({ accountId: n.accountId, channelId: n.id, name: n.name }));
  };

  return (
    <div style={{ display: 'flex', flexDirection: 'column', height: '100%' }} data-testid="device-tree">
      <Space.Compact style={{ padding: 6 }}>
        <Input.Search allowClear placeholder={t('wall.search')} value={query} onChange={(e) => setQuery(e.target.value)} data-testid="tree-search" />
        <Button icon={<ReloadOutlined />} title={t('wall.reloadTree')} onClick={() => accounts.forEach((a) => void loadTree(a.id, true))} />
      </Space.Compact>
      {accounts.map((a) => trees[a.id]?.error && <Alert key={a.id} type="warning" showIcon banner message={`${a.name}: ${trees[a.id]!.error}`} />)}
      {accounts.length === 0 && <Typography.Paragraph style={{ padding: 12 }} type="secondary">{t('wall.noAccounts')}</Typography.Paragraph>}
      <Tree
        virtual
        height={Math.max(200, height - 90)}
        blockNode
        showIcon={false}
        treeData={data}
        defaultExpandedKeys={visible.roots}
        {...(deferred ? { expandedKeys: [...visible.expanded] } : {})}
        onDoubleClick={(_, node) => {
          const items = contentOf(String(node.key));
          if (onOpen) onOpen(items);
          else if (items.length === 1) assign(selected, items[0]!);
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
  );
}

function NodeTitle({ node }: { node: TreeNode }) {
  const color = node.status === 'online' ? '#52c41a' : node.status === 'offline' ? '#8c8c8c' : undefined;
  return (
    <span data-testid={`node-${node.kind}`} data-node-id={node.id} style={{ whiteSpace: 'nowrap' }}>
      {node.kind === 'channel' ? <VideoCameraOutlined style={{ color }} /> : node.kind === 'account' ? <ApartmentOutlined /> : null} {node.name}
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
  const root: TreeNode = { accountId: a.id, id: `account:${a.id}`, parentId: null, kind: 'account', name: a.name, status: 'unknown', ptz: null, platform: a.config.platform };
  return [root, ...nodes.map((n) => ({ ...n, parentId: n.parentId ?? root.id }))];
}
