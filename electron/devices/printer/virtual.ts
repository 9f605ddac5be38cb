// Virtual printer: keeps each job as files in a folder — the raw bytes (.bin), the decoded text
// (.txt) and a picture (.png) — for the demo, development and the preview screen. Always ready.
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeEscpos, decodedToText } from '../receipt/decode';
import { PAPER, type PaperWidth } from '../receipt/document';
import { decodedToSvg, svgToPng } from '../receipt/picture';
import { status, type PrinterStatus, type ReceiptPrinter } from './types';

export interface VirtualPrinterOptions {
  dir: string;
  paper?: PaperWidth;
  /** Skip the PNG (drawn with resvg) when only text is wanted. */
  png?: boolean;
}

export interface SavedJob {
  id: string;
  txt: string;
  png?: string;
  bin: string;
}

export class VirtualPrinter implements ReceiptPrinter {
  readonly name: string;
  private seq = 0;
  constructor(private readonly opts: VirtualPrinterOptions) {
    this.name = `virtual:${opts.dir}`;
  }

  async status(): Promise<PrinterStatus> {
    return status('ok');
  }

  async print(bytes: Buffer): Promise<void> {
    await this.save(bytes);
  }

  /** Saves one job; returns its files. */
  async save(bytes: Buffer): Promise<SavedJob> {
    const paper = this.opts.paper ?? 80;
    await mkdir(this.opts.dir, { recursive: true });
    const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
    const id = `${stamp}-${String(process.pid)}-${String(++this.seq).padStart(4, '0')}`;
    const base = join(this.opts.dir, `job-${id}`);
    const job = decodeEscpos(bytes);
    await writeFile(`${base}.bin`, bytes);
    await writeFile(`${base}.txt`, decodedToText(job, PAPER[paper].columns));
    let png: string | undefined;
    if (this.opts.png !== false) {
      png = `${base}.png`;
      await writeFile(png, await svgToPng(decodedToSvg(job, paper)));
    }
    return { id, txt: `${base}.txt`, png, bin: `${base}.bin` };
  }

  /** Saved jobs, oldest first. */
  async list(): Promise<SavedJob[]> {
    let names: string[];
    try {
      names = await readdir(this.opts.dir);
    } catch {
      return [];
    }
    const ids = names.filter((n) => n.startsWith('job-') && n.endsWith('.txt')).map((n) => n.slice(4, -4));
    return ids.sort().map((id) => {
      const base = join(this.opts.dir, `job-${id}`);
      return { id, txt: `${base}.txt`, bin: `${base}.bin`, png: names.includes(`job-${id}.png`) ? `${base}.png` : undefined };
    });
  }
}
