/**
 * Reads a process's CPU time and memory from /proc (Linux), as the operating
 * system accounts them, so the figures are the connector's own.
 *
 * @module
 */

const CLOCK_TICKS_PER_SECOND = 100;

/** Memory of a process in bytes: resident now and the resident high-water mark. */
export interface MemoryReading {
  rss: number;
  peakRss: number;
  /** The resident anonymous pages (heaps, malloc arenas, stacks) and file pages (the mapped program). */
  rssAnon: number;
  rssFile: number;
}

/** Resident and peak resident memory of `pid`. */
export async function readMemory(pid: number): Promise<MemoryReading> {
  const status = await Deno.readTextFile(`/proc/${pid}/status`);
  const kib = (field: string) => {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status);
    return match ? Number(match[1]) * 1024 : Number.NaN;
  };
  return {
    rss: kib("VmRSS"),
    peakRss: kib("VmHWM"),
    rssAnon: kib("RssAnon"),
    rssFile: kib("RssFile"),
  };
}

/** User + system CPU seconds used so far by `pid`. */
export async function readCpuSeconds(pid: number): Promise<number> {
  const stat = await Deno.readTextFile(`/proc/${pid}/stat`);
  // The command name (field 2) may hold spaces; fields are counted after its ")".
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return (utime + stime) / CLOCK_TICKS_PER_SECOND;
}

/** Samples RSS every `intervalMs` until stopped. */
export class RssSampler {
  readonly samples: Array<{ at: number; rss: number; rssAnon: number; rssFile: number }> = [];
  readonly #timer: ReturnType<typeof setInterval>;

  constructor(pid: number, intervalMs: number) {
    this.#timer = setInterval(() => {
      readMemory(pid).then(
        (reading) =>
          this.samples.push({
            at: performance.now(),
            rss: reading.rss,
            rssAnon: reading.rssAnon,
            rssFile: reading.rssFile,
          }),
        () => {},
      );
    }, intervalMs);
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}

/** The pids of the local RabbitMQ's Erlang VM (beam.smp), to account the broker's CPU. */
export async function brokerPids(): Promise<number[]> {
  const pids: number[] = [];
  for await (const entry of Deno.readDir("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    const comm = await Deno.readTextFile(`/proc/${entry.name}/comm`).catch(() => "");
    if (comm.trim() === "beam.smp") pids.push(Number(entry.name));
  }
  return pids;
}

/** Total CPU seconds of several processes (missing ones count 0). */
export async function readCpuSecondsOf(pids: readonly number[]): Promise<number> {
  let total = 0;
  for (const pid of pids) total += await readCpuSeconds(pid).catch(() => 0);
  return total;
}
