import type { TargetSearchRequest, TargetSearchResponse } from '../../preload/contract';
import { AppError } from '../errors';
import type { Platform } from '../platforms/platform';
import type { AccountsService } from './accounts';
import type { HandlerSlice } from '../ipc/handlers';

/** Target search: routes a query to the account's platform, which says whether it can search. */
export class SearchService {
  constructor(private readonly accounts: AccountsService) {}

  private async ops(accountId: string): Promise<NonNullable<Platform['targetSearch']>> {
    const platform = await this.accounts.platform(accountId);
    if (!platform.targetSearch || !platform.capabilities.has('imageSearch'))
      throw new AppError('NOT_AVAILABLE', 'This platform offers no target search');
    return platform.targetSearch;
  }

  async scopes(accountId: string): Promise<{ scopes: Array<{ id: string; name: string }> }> {
    return { scopes: await (await this.ops(accountId)).scopes() };
  }

  async targets({ accountId, ...query }: TargetSearchRequest): Promise<TargetSearchResponse> {
    return (await this.ops(accountId)).search(query);
  }
}

export function searchHandlers(search: SearchService): HandlerSlice {
  return {
    'search:scopes': ({ accountId }) => search.scopes(accountId),
    'search:targets': (req) => search.targets(req),
  };
}
