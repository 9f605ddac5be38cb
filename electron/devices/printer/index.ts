export * from './types';
export { NetworkPrinter, type NetworkPrinterOptions } from './network';
export { UsbPrinter, type UsbPrinterOptions } from './usb';
export { SerialPrinter, type SerialPrinterOptions } from './serial';
export { VirtualPrinter, type VirtualPrinterOptions, type SavedJob } from './virtual';
