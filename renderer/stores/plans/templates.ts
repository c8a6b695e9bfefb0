import { create } from 'zustand';
import type { PlanKind, RequestOf, ResponseOf } from '../../../preload/contract';
import { invoke, type VigilError } from '../../ipc';

export type PlanTemplate = ResponseOf<'plans:templates'>['templates'][number];
type TemplateChange = Omit<RequestOf<'plans:saveTemplate'>, 'accountId' | 'kind'>;

/** One account's templates of one kind, as the editor shows them. */
export interface TemplatesView {
  templates: PlanTemplate[];
  /** the platform's refusal of the last request */
  error: string | null;
  /** the last change was stored */
  saved: boolean;
}

/**
 * Tencent IVC templates (named weekly schedules that plans bind channels to) per account and kind.
 * Each change answers the list the platform now holds; a refused one re-reads it. The week being
 * painted stays in the editor.
 */
export interface TemplatesState {
  views: Record<string, TemplatesView>;
  load(accountId: string, kind: PlanKind): Promise<PlanTemplate[]>;
  /** Saves or deletes; answers the list the platform now holds, or null when it refused. */
  save(accountId: string, kind: PlanKind, change: TemplateChange): Promise<PlanTemplate[] | null>;
  remove(accountId: string, kind: PlanKind, id: string): Promise<PlanTemplate[] | null>;
}

export const templatesViewKey = (accountId: string, kind: PlanKind) => `${accountId}/${kind}`;
export const EMPTY_TEMPLATES_VIEW: TemplatesView = { templates: [], error: null, saved: false };

export const useTemplatesStore = create<TemplatesState>()((set) => {
  const patch = (accountId: string, kind: PlanKind, p: Partial<TemplatesView>) => {
    const key = templatesViewKey(accountId, kind);
    set((s) => ({ views: { ...s.views, [key]: { ...(s.views[key] ?? EMPTY_TEMPLATES_VIEW), ...p } } }));
  };
  const change = async (accountId: string, kind: PlanKind, work: () => Promise<ResponseOf<'plans:templates'>>) => {
    patch(accountId, kind, { error: null, saved: false });
    try {
      const { templates } = await work();
      patch(accountId, kind, { templates, saved: true });
      return templates;
    } catch (e) {
      patch(accountId, kind, { error: (e as VigilError).message });
      const r = await invoke('plans:templates', { accountId, kind }).catch(() => null);
      if (r) patch(accountId, kind, { templates: r.templates });
      return null;
    }
  };
  return {
    views: {},
    async load(accountId, kind) {
      try {
        const { templates } = await invoke('plans:templates', { accountId, kind });
        patch(accountId, kind, { templates, error: null, saved: false });
        return templates;
      } catch (e) {
        patch(accountId, kind, { error: (e as VigilError).message });
        return [];
      }
    },
    save: (accountId, kind, c) =>
      change(accountId, kind, () => invoke('plans:saveTemplate', { accountId, kind, ...c })),
    remove: (accountId, kind, id) =>
      change(accountId, kind, () => invoke('plans:deleteTemplate', { accountId, kind, id })),
  };
});
