import type { PGlite, Transaction } from '@electric-sql/pglite';

/** Called with the SQL text of every statement sent to the database, BEGIN and COMMIT included. */
export type StatementListener = (sql: string) => void;

/**
 * Who is listening to a database's statements (the hot-path statement budgets in the tests, and
 * `pnpm bench`). With nobody listening it costs one size check per statement.
 */
export interface StatementObserver {
  /** Starts calling `listener` for every statement; the returned function stops it. */
  observe(listener: StatementListener): () => void;
  /** For the drivers: reports one statement to the listeners. */
  report(sql: string): void;
}

export function createStatementObserver(): StatementObserver {
  const listeners = new Set<StatementListener>();
  return {
    observe(listener) {
      // A wrapper per call, so observing twice with one function counts twice and stops separately.
      const entry: StatementListener = (sql) => listener(sql);
      listeners.add(entry);
      return () => listeners.delete(entry);
    },
    report(sql) {
      if (listeners.size === 0) return;
      for (const listener of listeners) listener(sql);
    },
  };
}

/**
 * PGlite runs statements in-process, so there is no wire to watch: its query functions are wrapped
 * instead. A transaction reports the BEGIN and the COMMIT (or ROLLBACK) PGlite sends on its own.
 */
export function observePglite(client: PGlite, observer: StatementObserver): void {
  const query = client.query.bind(client);
  const exec = client.exec.bind(client);
  const transaction = client.transaction.bind(client);
  client.query = ((sql: string, ...rest: unknown[]) => {
    observer.report(sql);
    return (query as (...args: unknown[]) => unknown)(sql, ...rest);
  }) as PGlite['query'];
  client.exec = ((sql: string, ...rest: unknown[]) => {
    observer.report(sql);
    return (exec as (...args: unknown[]) => unknown)(sql, ...rest);
  }) as PGlite['exec'];
  client.transaction = (async <T>(work: (tx: Transaction) => Promise<T>) => {
    observer.report('BEGIN');
    let rolledBack = false;
    try {
      const result = await transaction((tx) =>
        work(observedTransaction(tx, observer, () => (rolledBack = true))),
      );
      if (!rolledBack) observer.report('COMMIT');
      return result;
    } catch (error) {
      if (!rolledBack) observer.report('ROLLBACK');
      throw error;
    }
  }) as PGlite['transaction'];
}

function observedTransaction(
  tx: Transaction,
  observer: StatementObserver,
  onRollback: () => void,
): Transaction {
  const wrapped: Partial<Transaction> = {
    query: ((sql: string, ...rest: unknown[]) => {
      observer.report(sql);
      return (tx.query as (...args: unknown[]) => unknown)(sql, ...rest);
    }) as Transaction['query'],
    exec: ((sql: string, ...rest: unknown[]) => {
      observer.report(sql);
      return (tx.exec as (...args: unknown[]) => unknown)(sql, ...rest);
    }) as Transaction['exec'],
    rollback: async () => {
      observer.report('ROLLBACK');
      onRollback();
      await tx.rollback();
    },
  };
  // A proxy rather than a copy, so getters such as `closed` keep reading the live transaction.
  return new Proxy(tx, {
    get: (target, property) =>
      property in wrapped ? wrapped[property as keyof Transaction] : Reflect.get(target, property, target),
  });
}
