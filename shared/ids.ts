// IDs are UUIDv7: sortable by time, unique across tills, safe to sync.
import { uuidv7 } from 'uuidv7';

export const newId = (): string => uuidv7();
