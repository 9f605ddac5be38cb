import { createQuick, listCategories, lookupCode, searchSkus } from '../../till/catalog';
import type { Impls } from '../registry';

export const catalogHandlers: Impls = {
  'catalog.lookup': ({ code }, till) => lookupCode(till, code),
  'catalog.search': ({ q, offset, limit, categoryId }, till) => searchSkus(till, q, offset, limit, categoryId),
  'catalog.createQuick': (input, till) => createQuick(till, input),
  'catalog.categories': (_i, till) => listCategories(till),
};
