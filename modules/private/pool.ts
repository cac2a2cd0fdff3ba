/**
 * Run async tasks, at most `limit` at a time, and return their results in
 * order. Every task is waited for, even after one fails, and then the first
 * failure is thrown: a caller that cleans up on failure (the synth removes
 * its generation folder) never races a task still running.
 */
export async function pool<T>(tasks: readonly (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  const failures: unknown[] = [];
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      try {
        results[i] = await tasks[i]();
      } catch (e) {
        failures.push(e);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  if (failures.length > 0) throw failures[0];
  return results;
}
