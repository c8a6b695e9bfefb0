import { randomUUID } from 'node:crypto';
import type { Alarm, AlarmAction } from '../../../preload/contract';
import { auditCsv, auditXlsx } from '../../control-room/audit-export';
import type { ControlRoomLink } from '../../control-room/link';
import { AppError } from '../../errors';
import type { EventBus } from '../../events';
import type { AlarmHistory } from './history';

/**
 * What operators do with alarms: acknowledge, assign, close, read an alarm's history and export
 * the audit. Each action is signed by this member, recorded, shown and shared.
 */
export class OperatorActions {
  constructor(
    private readonly kept: AlarmHistory,
    private readonly link: ControlRoomLink,
    private readonly events: EventBus,
  ) {}

  /** Records this seat's actions, tells every window, and shares them with the other seats. */
  private act(actions: AlarmAction[]): Alarm[] {
    const changed = this.kept.db.applyActions(actions);
    for (const a of changed) this.events.emit('main:alarm', a);
    this.link.shareActions(actions);
    return changed;
  }

  private action(alarmId: string, kind: AlarmAction['kind'], more: Partial<AlarmAction> = {}): AlarmAction {
    return this.link.signAction({ id: randomUUID(), alarmId, kind, ...this.link.seat, at: Date.now(), ...more });
  }

  private known(id: string): Alarm {
    const alarm = this.kept.db.get(id);
    if (!alarm) throw new AppError('NOT_FOUND', 'No such alarm');
    return alarm;
  }

  acknowledgeAll(): void {
    this.act(this.kept.db.newIds().map((id) => this.action(id, 'acknowledge')));
  }

  /** Acknowledging an alarm someone already acknowledged changes nothing (the first stays). */
  acknowledge(id: string): Alarm {
    const alarm = this.known(id);
    if (alarm.state !== 'new') return alarm;
    this.act([this.action(id, 'acknowledge')]);
    return this.known(id);
  }

  assign(id: string, to: string): Alarm {
    if (this.known(id).state === 'closed') throw new AppError('VALIDATION', 'The alarm is closed');
    this.act([this.action(id, 'assign', { to })]);
    return this.known(id);
  }

  close(id: string, note: string): Alarm {
    if (this.known(id).state === 'closed') throw new AppError('VALIDATION', 'The alarm is already closed');
    this.act([this.action(id, 'close', { note })]);
    return this.known(id);
  }

  history(id: string): { actions: AlarmAction[] } {
    this.known(id);
    return { actions: this.kept.db.actions(id) };
  }

  async exportAudit(format: 'csv' | 'xlsx', from?: number, to?: number) {
    const rows = this.kept.db.audit(from, to);
    const data = format === 'csv' ? auditCsv(rows) : await auditXlsx(rows);
    const stamp = new Date().toISOString().slice(0, 19).replace(/[-:T]/g, '');
    return {
      fileName: `vigil-alarm-audit-${stamp}.${format}`,
      mime: format === 'csv' ? 'text/csv' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      base64: data.toString('base64'),
      rows: rows.length,
    };
  }
}
