/**
 * What the figures were measured on: cores, memory, CPU model, Deno and
 * RabbitMQ versions.
 *
 * @module
 */

/** The machine a benchmark ran on. */
export interface MachineInfo {
  cores: number;
  memoryGiB: number;
  cpuModel: string;
  deno: string;
  date: string;
}

/** Reads /proc and the runtime for {@link MachineInfo}. */
export async function machineInfo(): Promise<MachineInfo> {
  const meminfo = await Deno.readTextFile("/proc/meminfo").catch(() => "");
  const cpuinfo = await Deno.readTextFile("/proc/cpuinfo").catch(() => "");
  const totalKib = Number(/^MemTotal:\s+(\d+) kB/m.exec(meminfo)?.[1] ?? Number.NaN);
  return {
    cores: navigator.hardwareConcurrency,
    memoryGiB: Math.round(totalKib / 1024 / 1024),
    cpuModel: /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? "unknown",
    deno: `Deno ${Deno.version.deno} (V8 ${Deno.version.v8})`,
    date: new Date().toISOString().slice(0, 10),
  };
}
