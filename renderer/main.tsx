import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { initI18n, resolveLanguage } from './i18n';
import { MediaWindowProvider } from './media/media-window';
import { preloadEngines } from './media/session/pane-session';
import { requestStartup } from './stores/startup';

// Main is asked for everything the first screen shows before React renders it, and the players'
// libraries are fetched beside that render (the wall's script waits for neither). The catalogue
// starts in the system's language, the preference's default: App switches only if one was chosen.
requestStartup();
preloadEngines();
initI18n(resolveLanguage('system', navigator.languages));
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <MediaWindowProvider>
      <App />
    </MediaWindowProvider>
  </StrictMode>,
);
