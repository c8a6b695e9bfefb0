import { theme } from 'antd';
import { useLayoutEffect } from 'react';

/**
 * Colours for inline styles that follow the app's theme (light or dark). Hard-coded dark-theme
 * values read badly in the light theme: #ff7875 error text on white is below 3:1 contrast, #303030
 * split lines are black rules, #262626 grid cells black blocks. ThemeVars (inside antd's
 * ConfigProvider, in App) sets these variables from antd's tokens on the root element, so portals
 * (dialogs, the PTZ dock) get them too. Video areas (panes, the timeline) stay dark in both themes.
 */
export const themed = {
  /** A field's or form's problem, said next to it. */
  errorText: 'var(--vigil-error-text)',
  /** Split lines between panels and list rows. */
  border: 'var(--vigil-border)',
  /** An empty cell (the week grid's unscheduled half-hours). */
  fill: 'var(--vigil-fill)',
} as const;

export function ThemeVars() {
  const { token } = theme.useToken();
  useLayoutEffect(() => {
    const root = document.documentElement.style;
    root.setProperty('--vigil-error-text', token.colorErrorText);
    root.setProperty('--vigil-border', token.colorBorderSecondary);
    root.setProperty('--vigil-fill', token.colorFillSecondary);
  }, [token]);
  return null;
}
