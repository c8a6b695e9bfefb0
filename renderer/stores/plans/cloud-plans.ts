import { create } from 'zustand';
import type { CloudPlans, PlanKind, RequestOf, TreeNode } from '../../../preload/contract';
import { invoke, type VigilError } from '../../ipc';

type PlanChange = Omit<RequestOf<'plans:saveCloudPlan'>, 'accountId' | 'kind'>;

/** One account's plans of one kind (real-time to cloud, or device upload), as the page shows them. */
export interface CloudPlansView {
  plans: CloudPlans | null;
  /** the account's channels and organizations to choose from */
  nodes: TreeNode[];
  busy: boolean;
  /** the platform's refusal of the last request */
  error: string | null;
  /** a catalogue key saying what the last change did */
  notice: string | null;
}

/**
 * Tencent IVC cloud recording plans (E39–E47) per account and kind. Every change answers the list
 * as the platform now has it; a refused change re-reads it, so the page never shows what was not
 * stored. The plan being edited stays in the component as a draft.
 */
export interface CloudPlansState {
  views: Record<string, CloudPlansView>;
  open(accountId: string, kind: PlanKind): Promise<void>;
  /** The channels a plan holds now (to start editing it); null when the platform did not answer. */
  planChannels(accountId: string, kind: PlanKind, planId: string): Promise<string[] | null>;
  savePlan(accountId: string, kind: PlanKind, change: PlanChange): Promise<boolean>;
  deletePlan(accountId: string, kind: PlanKind, id: string): Promise<boolean>;
  dismiss(accountId: string, kind: PlanKind): void;
}

export const plansViewKey = (accountId: string, kind: PlanKind) => `${accountId}/${kind}`;
export const EMPTY_PLANS_VIEW: CloudPlansView = { plans: null, nodes: [], busy: false, error: null, notice: null };

export const useCloudPlansStore = create<CloudPlansState>()((set) => {
  const patch = (accountId: string, kind: PlanKind, p: Partial<CloudPlansView>) => {
    const key = plansViewKey(accountId, kind);
    set((s) => ({ views: { ...s.views, [key]: { ...(s.views[key] ?? EMPTY_PLANS_VIEW), ...p } } }));
  };
  const change = async (accountId: string, kind: PlanKind, work: () => Promise<CloudPlans>, notice: string) => {
    patch(accountId, kind, { busy: true, error: null, notice: null });
    try {
      patch(accountId, kind, { plans: await work(), busy: false, notice });
      return true;
    } catch (e) {
      patch(accountId, kind, { busy: false, error: (e as VigilError).message });
      const plans = await invoke('plans:cloudPlans', { accountId, kind }).catch(() => null);
      if (plans) patch(accountId, kind, { plans });
      return false;
    }
  };
  return {
    views: {},
    async open(accountId, kind) {
      patch(accountId, kind, { error: null, notice: null });
      const [plans, tree] = await Promise.allSettled([
        invoke('plans:cloudPlans', { accountId, kind }),
        invoke('tree:load', { accountId }),
      ]);
      patch(accountId, kind, {
        ...(plans.status === 'fulfilled' ? { plans: plans.value } : { error: (plans.reason as VigilError).message }),
        nodes: tree.status === 'fulfilled' ? tree.value.nodes : [],
      });
    },
    async planChannels(accountId, kind, planId) {
      patch(accountId, kind, { error: null, notice: null });
      try {
        return (await invoke('plans:cloudPlanChannels', { accountId, kind, planId })).channels.map((c) => c.id);
      } catch (e) {
        patch(accountId, kind, { error: (e as VigilError).message });
        return null;
      }
    },
    savePlan: (accountId, kind, c) =>
      change(accountId, kind, () => invoke('plans:saveCloudPlan', { accountId, kind, ...c }), 'plans.cloudSaved'),
    deletePlan: (accountId, kind, id) =>
      change(accountId, kind, () => invoke('plans:deleteCloudPlan', { accountId, kind, id }), 'plans.cloudDeleted'),
    dismiss: (accountId, kind) => patch(accountId, kind, { error: null, notice: null }),
  };
});
