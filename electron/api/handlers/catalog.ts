import { createQuick, listCategories, lookupCode, searchSkus } from '../../till/catalog';
import type { catalogApi } from '../../../shared/api/catalog';
import type { Handlers } from '../registry';

export const catalogHandlers: Handlers<typeof catalogApi> = {
  'catalog.lookup': ({ code }, { till }) => lookupCode(till, code),
  'catalog.search': ({ q, offset, limit, categoryId }, { till }) => searchSkus(till, q, offset, limit, categoryId),
  'catalog.createQuick': (input, { till }) => createQuick(till, input),
  'catalog.categories': (_i, { till }) => listCategories(till),
};
