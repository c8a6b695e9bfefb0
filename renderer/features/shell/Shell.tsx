import {
  AlertOutlined,
  ApiOutlined,
  AppstoreAddOutlined,
  BookOutlined,
  CalendarOutlined,
  HeartOutlined,
  LineChartOutlined,
  DesktopOutlined,
  FileSearchOutlined,
  TeamOutlined,
  HistoryOutlined,
  EnvironmentOutlined,
  PlaySquareOutlined,
  SettingOutlined,
} from '@ant-design/icons';
import { Alert, Button, Layout, Menu, Result, Spin, Typography } from 'antd';
import { lazy, Suspense, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PlatformId } from '../../../preload/contract';
import { selectHasAccounts, useAccountsStore } from '../../stores/accounts/store';
import { useWallStore } from '../../stores/wall/store';
import { selectLanguage, useAppStore } from '../../stores/app/store';
import { WallPage } from '../wall/WallPage';
import { FirstRun } from '../welcome/FirstRun';
import { listenToMaps } from '../../stores/maps/store';
import { useShallow } from 'zustand/react/shallow';
import { selectDeveloper, selectNotices } from '../../stores/app/selectors';
import { menuPages, pageForAltDigit, type Page } from '../../model/pages';

// The wall is what an operator waits for at launch: every other page is its own chunk, fetched
// when first opened, so the start-up bundle carries none of them.
const AccountsPage = lazy(() => import('../accounts/AccountsPage').then((m) => ({ default: m.AccountsPage })));
const AlarmsPage = lazy(() => import('../alarms/AlarmsPage').then((m) => ({ default: m.AlarmsPage })));
const HealthPage = lazy(() => import('../health/HealthPage').then((m) => ({ default: m.HealthPage })));
const StatisticsPage = lazy(() => import('../statistics/StatisticsPage').then((m) => ({ default: m.StatisticsPage })));
const InstallerPage = lazy(() => import('../installer/InstallerPage').then((m) => ({ default: m.InstallerPage })));
const PlansPage = lazy(() => import('../plans/PlansPage').then((m) => ({ default: m.PlansPage })));
const BookmarksPage = lazy(() => import('../bookmarks/BookmarksPage').then((m) => ({ default: m.BookmarksPage })));
const MapsPage = lazy(() => import('../maps/MapsPage').then((m) => ({ default: m.MapsPage })));
const PlaybackPage = lazy(() => import('../playback/PlaybackPage').then((m) => ({ default: m.PlaybackPage })));
const SearchPage = lazy(() => import('../search/SearchPage').then((m) => ({ default: m.SearchPage })));
const SettingsPage = lazy(() => import('../settings/SettingsPage').then((m) => ({ default: m.SettingsPage })));
const StreamTestPage = lazy(() => import('../streamtest/StreamTestPage').then((m) => ({ default: m.StreamTestPage })));
// The control room's status (whose mount starts the alarms' listening: the list and queued seat
// commands are fetched then) comes with its panel's chunk and that panel's forms and tables, beside
// the first render instead of before it.
const BrokerStatus = lazy(() => import('../alarms/ControlRoomPanel').then((m) => ({ default: m.BrokerStatus })));
const TargetLibraryPage = lazy(() =>
  import('../targets/TargetLibraryPage').then((m) => ({ default: m.TargetLibraryPage })),
);

const icons: Record<Page, React.ReactNode> = {
  wall: <DesktopOutlined />,
  maps: <EnvironmentOutlined />,
  playback: <HistoryOutlined />,
  bookmarks: <BookOutlined />,
  alarms: <AlertOutlined />,
  search: <FileSearchOutlined />,
  targets: <TeamOutlined />,
  plans: <CalendarOutlined />,
  installer: <AppstoreAddOutlined />,
  health: <HeartOutlined />,
  statistics: <LineChartOutlined />,
  accounts: <ApiOutlined />,
  streamtest: <PlaySquareOutlined />,
  settings: <SettingOutlined />,
};

/** The other UI language, one click away in the title bar (Settings has the same choice). */
function LanguageSwitch() {
  const language = useAppStore(selectLanguage);
  const setPreferences = useAppStore((s) => s.setPreferences);
  const next = language === 'en' ? 'zh-CN' : 'en';
  return (
    <Button
      size="small"
      type="text"
      style={{ color: '#d9d9d9' }}
      data-testid="language-switch"
      lang={next}
      title={next === 'en' ? 'English' : '简体中文'}
      onClick={() => void setPreferences({ language: next })}
    >
      {next === 'en' ? 'EN' : '中文'}
    </Button>
  );
}

/** The window frame: navigation, notices from main, and the current page. */
export function Shell() {
  const { t } = useTranslation();
  const page = useAppStore((s) => s.page) as Page | null;
  const setPage = useAppStore((s) => s.navigate);
  const [addFor, setAddFor] = useState<PlatformId | undefined>();
  const [collapsed, setCollapsed] = useState(false);
  const { notices, dismissNotice, bootError } = useAppStore(useShallow(selectNotices));
  const developer = useAppStore(selectDeveloper);
  const loaded = useAccountsStore((s) => s.loaded);
  const hasAccounts = useAccountsStore(selectHasAccounts);
  // A start-up view opened: the wall renders (and its panes ask for their sources) without waiting
  // for the accounts' list, which the tree fills in when it comes.
  const viewOpened = useWallStore((s) => s.activeViewId !== null);

  // Maps listen in every window: an alarm may bring its map forward from any page.
  useEffect(() => listenToMaps(), []);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      // Alt+1 … Alt+9: the first nine menu items.
      const target = e.altKey ? pageForAltDigit(e.key, developer) : undefined;
      if (target) setPage(target);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [developer]);

  if (bootError) {
    return <Result status="error" title={t(`error.${bootError.code}`)} subTitle={bootError.message} />;
  }
  if (!loaded && !viewOpened) return <Spin style={{ margin: 64 }} />;

  // The wall is home once an account exists (or, before the accounts are listed, a start-up view
  // opened); the first-run screen until then.
  const current: Page = page ?? (hasAccounts || !loaded ? 'wall' : 'accounts');
  const firstRun = loaded && !hasAccounts && !addFor && current === 'accounts';
  return (
    <Layout style={{ height: '100%' }}>
      <Layout.Sider
        width={200}
        theme="dark"
        collapsible
        breakpoint="lg"
        collapsed={collapsed}
        onCollapse={setCollapsed}
      >
        {/* Collapsed (80 px), the title broke into "V / i / g / il": an initial instead, the language in Settings. */}
        <div
          style={{
            display: 'flex',
            alignItems: 'center',
            justifyContent: collapsed ? 'center' : 'space-between',
            padding: collapsed ? '12px 0' : '12px 8px 12px 16px',
          }}
        >
          <Typography.Title level={4} style={{ color: '#fff', margin: 0 }}>
            {collapsed ? t('app.title').slice(0, 1) : t('app.title')}
          </Typography.Title>
          {!collapsed && <LanguageSwitch />}
        </div>
        <Menu
          theme="dark"
          mode="inline"
          selectedKeys={[current]}
          onClick={(e) => setPage(e.key as Page)}
          items={menuPages(developer).map((key) => ({ key, icon: icons[key], label: t(`nav.${key}`) }))}
        />
        <Suspense fallback={null}>
          <BrokerStatus />
        </Suspense>
      </Layout.Sider>
      <Layout.Content
        style={{ overflow: current === 'wall' || current === 'playback' || current === 'maps' ? 'hidden' : 'auto' }}
      >
        {notices.map((n) => (
          <Alert
            key={n.id}
            banner
            closable
            type={n.level === 'error' ? 'error' : n.level === 'warning' ? 'warning' : 'info'}
            message={t(n.code, { defaultValue: n.code })}
            description={n.message}
            onClose={() => void dismissNotice(n.id)}
            data-testid="notice"
          />
        ))}
        <Suspense fallback={<Spin style={{ margin: 64 }} />}>
          {current === 'settings' ? (
            <SettingsPage />
          ) : current === 'wall' ? (
            <WallPage />
          ) : current === 'maps' ? (
            <MapsPage />
          ) : current === 'playback' ? (
            <PlaybackPage />
          ) : current === 'bookmarks' ? (
            <BookmarksPage />
          ) : current === 'alarms' ? (
            <AlarmsPage />
          ) : current === 'search' ? (
            <SearchPage />
          ) : current === 'targets' ? (
            <TargetLibraryPage />
          ) : current === 'plans' ? (
            <PlansPage />
          ) : current === 'installer' ? (
            <InstallerPage />
          ) : current === 'health' ? (
            <HealthPage />
          ) : current === 'statistics' ? (
            <StatisticsPage />
          ) : current === 'streamtest' && developer ? (
            <StreamTestPage />
          ) : firstRun ? (
            <FirstRun
              onChoose={(p) => {
                setPage('accounts');
                setAddFor(p);
              }}
            />
          ) : (
            <AccountsPage key={addFor ?? 'list'} addFor={addFor} onAddHandled={() => setAddFor(undefined)} />
          )}
        </Suspense>
      </Layout.Content>
    </Layout>
  );
}
