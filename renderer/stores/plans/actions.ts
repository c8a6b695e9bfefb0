import type { RequestOf } from '../../../preload/contract';
import { invoke } from '../../ipc';

/** One door per cloud recording plan and template operation (the per-channel plans are in the store). */
export const cloudPlans = (req: RequestOf<'plans:cloudPlans'>) => invoke('plans:cloudPlans', req);
export const cloudPlanChannels = (req: RequestOf<'plans:cloudPlanChannels'>) => invoke('plans:cloudPlanChannels', req);
export const saveCloudPlan = (req: RequestOf<'plans:saveCloudPlan'>) => invoke('plans:saveCloudPlan', req);
export const deleteCloudPlan = (req: RequestOf<'plans:deleteCloudPlan'>) => invoke('plans:deleteCloudPlan', req);
export const planTemplates = (req: RequestOf<'plans:templates'>) => invoke('plans:templates', req);
export const saveTemplate = (req: RequestOf<'plans:saveTemplate'>) => invoke('plans:saveTemplate', req);
export const deleteTemplate = (req: RequestOf<'plans:deleteTemplate'>) => invoke('plans:deleteTemplate', req);
