// Splits a byte stream into CR, LF or CRLF terminated lines. Serial reads arrive in arbitrary
// chunks (a code can be split across two reads, two codes can share one read), so we buffer.

export class LineSplitter {
  private buf: Buffer = Buffer.alloc(0);

  /** @param maxLength bytes without a terminator before we drop the buffer (line noise, wrong baud rate). */
  constructor(private readonly maxLength = 512) {}

  /** Feed bytes, get the complete lines (terminators removed; empty lines from CRLF are dropped). */
  push(chunk: Buffer): Buffer[] {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    const lines: Buffer[] = [];
    let start = 0;
    for (let i = 0; i < this.buf.length; i++) {
      const b = this.buf[i];
      if (b === 0x0d || b === 0x0a) {
        if (i > start) lines.push(this.buf.subarray(start, i));
        start = i + 1;
      }
    }
    this.buf = this.buf.subarray(start);
    if (this.buf.length > this.maxLength) this.buf = Buffer.alloc(0);
    return lines;
  }

  reset(): void {
    this.buf = Buffer.alloc(0);
  }
}
