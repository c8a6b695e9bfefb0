import { App as AntApp, ConfigProvider, theme } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { useEffect } from 'react';
import 'antd/dist/antd.css';
import { listenToAccounts } from './stores/accounts/store';
import { listenToMain, selectLanguage, selectTheme, useAppStore } from './stores/app/store';
import { selectHiddenHoldMs } from './stores/app/selectors';
import { useMediaWindow } from './media/media-window';
import { Shell } from './features/shell/Shell';
import { ThemeVars } from './features/common/theme-vars';
import { i18next } from './i18n';

export function App() {
  const language = useAppStore(selectLanguage);
  const mode = useAppStore(selectTheme);
  const holdMs = useAppStore(selectHiddenHoldMs);
  const media = useMediaWindow();

  // The first requests went out before this render (stores/startup.ts); main's pushes from here on.
  useEffect(() => {
    const offMain = listenToMain();
    const offAccounts = listenToAccounts();
    return () => {
      offMain();
      offAccounts();
    };
  }, []);

  useEffect(() => media.setHoldUnseen(holdMs), [media, holdMs]);

  // A change to the language it already has would still render every translated text again.
  useEffect(() => {
    if (i18next.language !== language) void i18next.changeLanguage(language);
    document.documentElement.lang = language;
  }, [language]);

  return (
    <ConfigProvider
      locale={language === 'en' ? enUS : zhCN}
      theme={{
        zeroRuntime: true,
        algorithm: mode === 'dark' ? [theme.darkAlgorithm, theme.compactAlgorithm] : [theme.compactAlgorithm],
      }}
    >
      <ThemeVars />
      <AntApp style={{ height: '100%' }}>
        <Shell />
      </AntApp>
    </ConfigProvider>
  );
}
