import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { initI18n } from './i18n';
import { MediaWindowProvider } from './media/media-window';

initI18n();
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <MediaWindowProvider>
      <App />
    </MediaWindowProvider>
  </StrictMode>,
);
