import type { z } from 'zod';
import type {
  Alarm,
  AlarmAction,
  AlarmReceiverState,
  ControlRoomSetRequest,
  SeatCommand,
  SeatCommandBody,
} from '../../preload/contract';
import { ControlRoomLink } from '../control-room/link';
import { AppError } from '../errors';
import type { EventBus } from '../events';
import { log } from '../log';
import type { PushTls } from '../net/push-receiver';
import type { Settings } from '../settings/settings';
import type { Vault } from '../vault/vault';
import type { AccountsService } from './accounts';
import type { HandlerSlice } from '../ipc/handlers';
import { ChannelNamer } from './alarms/channel-refs';
import { AlarmHistory } from './alarms/history';
import { ControlRoomMembership } from './alarms/membership';
import { OperatorActions } from './alarms/operator-actions';
import { EventPoller } from './alarms/poller';
import { PushReceivers } from './alarms/receivers';

export { BROKER_SECRET, seatKeySecret } from './alarms/membership';

const DAY = 86_400_000;

/**
 * The alarms of one member of the control room (a seat, or the agent), composed of small parts
 * that each own one concern: the history (AlarmHistory), the IVM push receivers (PushReceivers),
 * the event poller (EventPoller), the operators' actions (OperatorActions), the broker link and
 * this member's place in it (ControlRoomMembership), and channel naming (ChannelNamer). The
 * desktop core and the agent both build one; its methods are what the contract's handlers call.
 */
export class AlarmService {
  readonly store: AlarmHistory;
  readonly link: ControlRoomLink;
  readonly receivers: PushReceivers;
  readonly poller: EventPoller;
  readonly actions: OperatorActions;
  readonly membership: ControlRoomMembership;
  private readonly namer: ChannelNamer;
  private readonly pruner: NodeJS.Timeout;
  /** Settles once the control room has (re)connected with the saved settings. */
  readonly ready: Promise<void>;
  /** Settles once alarms kept from earlier builds have their channelRef (see ChannelNamer). */
  readonly refsFilled: Promise<void>;

  /** The unreadable history file moved aside at start, if any (the core tells the operator). */
  get historySetAside(): string | null {
    return this.store.setAside;
  }

  constructor(
    private readonly accounts: AccountsService,
    private readonly events: EventBus,
    dataDir: string,
    control?: { settings: Settings; vault: Vault },
    /** pollEveryMs 0: no background poll (tests call pollEvents() themselves). */
    options: { pollEveryMs?: number; memberKind?: 'seat' | 'agent'; answerWithinMs?: number } = {},
  ) {
    this.store = new AlarmHistory(dataDir, () => this.link, events);
    this.namer = new ChannelNamer(accounts, this.store.db, events);
    this.link = new ControlRoomLink(
      this.store.db,
      {
        alarm: (a) => this.namer.shown(a),
        status: (s) => this.events.emit('main:controlRoom', s),
        command: (c) => this.events.emit('main:seatCommand', c),
      },
      { kind: options.memberKind ?? 'seat' },
    );
    this.membership = new ControlRoomMembership(this.link, control);
    this.receivers = new PushReceivers(accounts, this.store, this.link, events, dataDir, options.answerWithinMs);
    this.actions = new OperatorActions(this.store, this.link, events);
    this.pruner = setInterval(() => this.prune(), DAY / 4);
    this.pruner.unref();
    // Pruned once the link is configured: before it, forget() cannot clear the broker's retained
    // copies, and on the usual restart path they would stay there for good.
    this.ready = this.membership
      .connect()
      .catch((e: Error) => log.warn(`control room not started: ${e.message}`))
      .then(() => this.prune());
    this.poller = new EventPoller(
      {
        accounts,
        history: this.store,
        link: this.link,
        receivers: this.receivers,
        enabled: () => !!this.membership.settings?.pollEvents,
        ready: this.ready,
      },
      options.pollEveryMs,
    );
    this.refsFilled = this.namer
      .fill()
      .catch((e: Error) => log.warn(`alarm history: channel references not filled: ${e.message}`));
  }

  private prune(): void {
    this.store.prune(this.membership.settings?.retentionDays ?? 90);
  }

  state(accountId: string): Promise<AlarmReceiverState> {
    return this.receivers.state(accountId);
  }

  start(
    accountId: string,
    publicUrl: string,
    port: number,
    tls?: PushTls,
    sharedKey?: string,
  ): Promise<AlarmReceiverState> {
    return this.receivers.start(accountId, publicUrl, port, tls, sharedKey);
  }

  stop(accountId: string): Promise<AlarmReceiverState> {
    return this.receivers.stop(accountId);
  }

  list(): { alarms: Alarm[] } {
    return this.store.list();
  }

  page(cursor?: string, limit?: number): { alarms: Alarm[]; next: string | null; unacknowledged: number } {
    return this.store.page(cursor, limit);
  }

  unacknowledged(): number {
    return this.store.unacknowledged();
  }

  acknowledgeAll(): { alarms: Alarm[]; next: string | null; unacknowledged: number } {
    this.actions.acknowledgeAll();
    return this.page();
  }

  acknowledge(id: string): Alarm {
    return this.actions.acknowledge(id);
  }

  assign(id: string, to: string): Alarm {
    return this.actions.assign(id, to);
  }

  close(id: string, note: string): Alarm {
    return this.actions.close(id, note);
  }

  history(id: string): { actions: AlarmAction[] } {
    return this.actions.history(id);
  }

  exportAudit(format: 'csv' | 'xlsx', from?: number, to?: number) {
    return this.actions.exportAudit(format, from, to);
  }

  async controlRoom() {
    return this.membership.state();
  }

  async setControlRoom(request: z.infer<typeof ControlRoomSetRequest>) {
    const settings = await this.membership.set(request);
    this.prune();
    if (!settings.pollEvents) this.poller.release();
    return this.controlRoom();
  }

  sendToSeat(seat: string, command: SeatCommandBody): { id: string } {
    if (!this.link.sharing) throw new AppError('NOT_AVAILABLE', 'This seat is not in a control room (no broker set)');
    if (seat === this.link.seat.seat) throw new AppError('VALIDATION', 'That is this seat');
    return { id: this.link.sendToSeat(seat, command).id };
  }

  /** Commands other seats sent that no window carried out yet: the window asking takes them. */
  takeCommands(): { commands: SeatCommand[] } {
    return { commands: this.store.db.takeCommands() };
  }

  /** The members' signing keys this seat pinned, and this seat's own key's fingerprint. */
  pinnedKeys() {
    return this.link.pinnedKeys();
  }

  revokeKey(seat: string) {
    this.link.revoke(seat);
    return this.link.pinnedKeys();
  }

  holdPtz(accountId: string, channelId: string, hold: boolean): null {
    if (this.link.sharing) this.link.holdPtz(accountId, channelId, hold);
    return null;
  }

  /** The alarm's picture (§10.2.2, kept 7 days), fetched in main; null when the platform has none. */
  async picture(accountId: string, uuid: string): Promise<{ picture: string | null }> {
    const platform = await this.accounts.platform(accountId);
    if (!platform.pushAlarms) return { picture: null }; // listed events (Alibaba VCS) carry no picture of their own
    const pic = await platform.pushAlarms.picture(uuid);
    return { picture: pic ? `data:${pic.contentType};base64,${pic.bytes.toString('base64')}` : null };
  }

  async closeAll(): Promise<void> {
    await this.receivers.close();
    clearInterval(this.pruner);
    await this.poller.close();
    await this.ready; // a connect still under way would otherwise leave a client behind
    await this.link.close();
    this.store.close();
  }

  /** See EventPoller: lists the events of accounts whose platform lists them; answers how many were new. */
  pollEvents(now = Date.now()): Promise<number> {
    return this.poller.poll(now);
  }
}

/** The alarm receiver and the alarm list. */
export function alarmHandlers(alarms: AlarmService): HandlerSlice {
  return {
    'alarms:state': ({ accountId }) => alarms.state(accountId),
    'alarms:start': ({ accountId, publicUrl, port }) => alarms.start(accountId, publicUrl, port),
    'alarms:stop': ({ accountId }) => alarms.stop(accountId),
    'alarms:list': async ({ cursor, limit }) => {
      // The history's channel references first, but a slow keychain does not hold the list.
      await Promise.race([alarms.refsFilled, new Promise((r) => setTimeout(r, 2000).unref())]);
      return alarms.page(cursor, limit);
    },
    'alarms:acknowledge': ({ id }) => alarms.acknowledge(id),
    'alarms:acknowledgeAll': () => alarms.acknowledgeAll(),
    'alarms:picture': ({ accountId, uuid }) => alarms.picture(accountId, uuid),
    'alarms:assign': ({ id, to }) => alarms.assign(id, to),
    'alarms:close': ({ id, note }) => alarms.close(id, note),
    'alarms:history': ({ id }) => alarms.history(id),
    'alarms:exportAudit': ({ format, from, to }) => alarms.exportAudit(format, from, to),
    'controlRoom:get': () => alarms.controlRoom(),
    'controlRoom:set': (request) => alarms.setControlRoom(request),
    'controlRoom:sendToSeat': ({ seat, command }) => alarms.sendToSeat(seat, command),
    'controlRoom:takeCommands': () => alarms.takeCommands(),
    'controlRoom:ptz': ({ accountId, channelId, hold }) => alarms.holdPtz(accountId, channelId, hold),
    'controlRoom:keys': () => alarms.pinnedKeys(),
    'controlRoom:revokeKey': ({ seat }) => alarms.revokeKey(seat),
  };
}
