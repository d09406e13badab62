import { DoFailure } from '../result';

export type SessionRow = {
  id: string;
  table_id: string;
  table_name: string;
  area: string;
  status: 'open' | 'merged' | 'closed';
  pay_later: number;
  diners: string;
  merged_into: string | null;
  opened_at: number;
  closed_at: number | null;
};

export interface TableRef {
  id: string;
  name: string;
  area: string;
}

const notFound = (id: string) =>
  new DoFailure({ status: 404, code: 'session.not_found', detail: `No table session ${id}.` });

/**
 * Dine-in table sessions: every diner who scans a table's QR code adds rounds to the
 * same open session. Moving, merging and splitting change only session records, so
 * nothing is ever sent to the kitchen twice.
 */
export class Sessions {
  constructor(private readonly sql: SqlStorage) {}

  openAt(tableId: string): SessionRow | undefined {
    return this.sql
      .exec<SessionRow>("SELECT * FROM table_sessions WHERE table_id = ? AND status = 'open'", tableId)
      .toArray()[0];
  }

  /** When this table's last session was closed, if ever. */
  lastClosedAt(tableId: string): number | null {
    return this.sql
      .exec<{ at: number | null }>(
        "SELECT max(closed_at) AS at FROM table_sessions WHERE table_id = ? AND status = 'closed'",
        tableId,
      )
      .one().at;
  }

  /** A diner's rounds on a tab that nobody has paid and staff have not yet served. */
  unservedRounds(sessionId: string, diner: string): number {
    return this.sql
      .exec<{ n: number }>(
        `SELECT count(*) AS n FROM orders WHERE session_id = ? AND placed_by = ? AND paid_at IS NULL
           AND status NOT IN ('served', 'completed', 'cancelled', 'refunded')`,
        sessionId,
        diner,
      )
      .one().n;
  }

  get(id: string): SessionRow {
    const row = this.sql.exec<SessionRow>('SELECT * FROM table_sessions WHERE id = ?', id).toArray()[0];
    if (!row) throw notFound(id);
    return row;
  }

  /** The open session of a table, opened now if there is none; the diner is remembered. */
  joinOrOpen(table: TableRef, payLater: boolean, diner: string, now: number): SessionRow {
    let row = this.openAt(table.id);
    if (!row) {
      const id = `ses_${crypto.randomUUID().replaceAll('-', '').slice(0, 16)}`;
      this.sql.exec(
        `INSERT INTO table_sessions (id, table_id, table_name, area, status, pay_later, diners, opened_at)
         VALUES (?, ?, ?, ?, 'open', ?, '[]', ?)`,
        id,
        table.id,
        table.name,
        table.area,
        payLater ? 1 : 0,
        now,
      );
      row = this.get(id);
    }
    const diners = JSON.parse(row.diners) as string[];
    if (!diners.includes(diner)) {
      diners.push(diner);
      this.sql.exec('UPDATE table_sessions SET diners = ? WHERE id = ?', JSON.stringify(diners), row.id);
      row = { ...row, diners: JSON.stringify(diners) };
    }
    return row;
  }

  list(status: 'open' | 'all' = 'open'): SessionRow[] {
    return status === 'open'
      ? this.sql.exec<SessionRow>("SELECT * FROM table_sessions WHERE status = 'open' ORDER BY opened_at").toArray()
      : this.sql.exec<SessionRow>('SELECT * FROM table_sessions ORDER BY opened_at DESC LIMIT 200').toArray();
  }

  private requireOpen(id: string): SessionRow {
    const row = this.get(id);
    if (row.status !== 'open') {
      throw new DoFailure({ status: 409, code: 'session.closed', detail: `Session ${id} is ${row.status}.` });
    }
    return row;
  }

  /** Moves a session (and its orders) to a free table. */
  move(id: string, to: TableRef) {
    const row = this.requireOpen(id);
    if (row.table_id === to.id) return;
    if (this.openAt(to.id)) {
      throw new DoFailure({
        status: 409,
        code: 'table.occupied',
        detail: `Table ${to.name} already has guests; merge instead.`,
      });
    }
    this.sql.exec(
      'UPDATE table_sessions SET table_id = ?, table_name = ?, area = ? WHERE id = ?',
      to.id,
      to.name,
      to.area,
      id,
    );
    this.sql.exec('UPDATE orders SET table_id = ? WHERE session_id = ?', to.id, id);
  }

  /** Folds `sourceId` into `targetId`: its rounds and diners join the target session. */
  merge(targetId: string, sourceId: string) {
    if (targetId === sourceId) {
      throw new DoFailure({
        status: 422,
        code: 'validation.failed',
        detail: 'A session cannot be merged into itself.',
      });
    }
    const target = this.requireOpen(targetId);
    const source = this.requireOpen(sourceId);
    const diners = [
      ...new Set([...(JSON.parse(target.diners) as string[]), ...(JSON.parse(source.diners) as string[])]),
    ];
    this.sql.exec(
      'UPDATE orders SET session_id = ?, table_id = ? WHERE session_id = ?',
      targetId,
      target.table_id,
      sourceId,
    );
    this.sql.exec('UPDATE table_sessions SET diners = ? WHERE id = ?', JSON.stringify(diners), targetId);
    this.sql.exec("UPDATE table_sessions SET status = 'merged', merged_into = ? WHERE id = ?", targetId, sourceId);
  }

  /**
   * The seatings a closing session ends, as the `session.closed` events report them: the
   * session itself, and each table merged into it (a seating of its own table, its diners
   * already counted with the session's).
   */
  seatingsClosedWith(id: string) {
    const closed = this.get(id);
    const merged = this.sql
      .exec<SessionRow>(
        `WITH RECURSIVE folded(id) AS (
           SELECT id FROM table_sessions WHERE merged_into = ?
           UNION SELECT t.id FROM table_sessions t JOIN folded f ON t.merged_into = f.id)
         SELECT * FROM table_sessions WHERE id IN (SELECT id FROM folded) AND status = 'merged'`,
        id,
      )
      .toArray();
    const closedAt = closed.closed_at ?? closed.opened_at;
    return [closed, ...merged].map((r) => ({
      sessionId: r.id,
      tableId: r.table_id,
      openedAt: r.opened_at,
      closedAt,
      diners: r.id === id ? (JSON.parse(r.diners) as string[]).length : 0,
    }));
  }

  close(id: string, now: number) {
    this.requireOpen(id);
    this.sql.exec("UPDATE table_sessions SET status = 'closed', closed_at = ? WHERE id = ?", now, id);
  }
}
