import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './en';
import { zhCN } from './zh-CN';

export type Language = 'zh-CN' | 'en';

/**
 * The language shown for a preference: the one chosen, or the system's — zh-CN for a Chinese
 * system or browser, English for any other (the two catalogues Vigil has).
 */
export function resolveLanguage(preference: Language | 'system', systemLocales: readonly string[]): Language {
  if (preference !== 'system') return preference;
  return systemLocales[0]?.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

/** zh-CN first; English complete. Antd's own locale follows the same switch (see main.tsx). */
export function initI18n(language: Language = 'zh-CN') {
  void i18next.use(initReactI18next).init({
    resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } },
    lng: language,
    fallbackLng: 'en',
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  return i18next;
}

export { i18next };
