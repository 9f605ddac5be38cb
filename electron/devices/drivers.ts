// The optional driver modules and whether they are installed, for app.status and the device screen.
import type { DriversInfo } from '../../shared/api/devices';
import { pcscDriver } from './cardreader/driver';

export function driversInfo(): DriversInfo {
  return { cardReader: pcscDriver() };
}
