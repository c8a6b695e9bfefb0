/**
 * The names alone, without schemas, so the sandboxed Electron preload can allow-list channels
 * without bundling zod. channels.ts checks at compile time that these match its maps exactly.
 */
export const channelNames = [
  'app:info',
  'app:dismissNotice',
  'accounts:list',
  'accounts:add',
  'accounts:update',
  'accounts:remove',
  'accounts:test',
  'settings:get',
  'settings:set',
  'media:relay',
  'tree:load',
  'live:source',
  'ptz:command',
  'presets:list',
  'presets:goto',
  'presets:save',
  'presets:remove',
  'presets:rename',
  'cruise:list',
  'cruise:save',
  'cruise:remove',
  'cruise:run',
  'cruise:copy',
  'plans:get',
  'plans:save',
  'plans:clear',
  'plans:retention',
  'library:scopes',
  'library:groups',
  'library:createGroup',
  'library:updateGroup',
  'library:deleteGroup',
  'library:targets',
  'library:picture',
  'library:addTargets',
  'library:updateTarget',
  'library:deleteTargets',
  'views:list',
  'views:save',
  'views:delete',
  'views:setStartup',
  'playback:recordings',
  'playback:source',
  'search:scopes',
  'search:targets',
] as const;

export const eventNames = ['main:notice', 'main:accounts-changed', 'main:settings-changed'] as const;

export type Channel = (typeof channelNames)[number];
export type EventName = (typeof eventNames)[number];
