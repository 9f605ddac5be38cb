// The serial ports this PC has, for the device settings screen. Listing may be impossible (no
// udev, no permission): then the screen says to type the port.
import type { SerialPortInfo } from '../../shared/api/devices';

export async function listSerialPorts(): Promise<{ ports: SerialPortInfo[]; note: string | null }> {
  try {
    const { SerialPort } = await import('serialport');
    const list = await SerialPort.list();
    const ports = list.map((p) => ({
      path: p.path,
      manufacturer: p.manufacturer,
      serialNumber: p.serialNumber,
      vendorId: p.vendorId,
      productId: p.productId,
    }));
    return {
      ports,
      note: ports.length ? null : '没有找到串口。USB 转串口线请插好后再查找；虚拟串口不会列出，可直接填写路径。',
    };
  } catch (e) {
    return { ports: [], note: `本机不能自动查找串口（${(e as Error).message}），请直接填写端口，例如 COM3 或 /dev/ttyUSB0。` };
  }
}
