// The behavioural half of the self-check: one DO block, run as the service's role, that tries each tenant
// table with no tenant set (the setting unset, when the connection never set it, then empty) and with a
// random tenant that does not exist,
// and records every read that saw a row and every write that went through. It ends by raising its findings
// as an error, so PostgreSQL rolls back everything it did (rows, settings) even on a pooled connection in
// autocommit; each write also runs in its own sub-block, undone before the next one.
import type { SqlQuery } from "../rls-check.ts";

/** The SQLSTATE the probe raises its findings with. */
const PROBE_DONE = "KE000";
// Raised inside a sub-block to undo the write it just made.
const UNDO = "KE001";

/** One thing the probe saw: `table` (`schema.table`) let `what` through `when`. */
export interface ProbeFinding {
  readonly table: string;
  readonly what: string;
  readonly when: string;
}

/** The probe's DO block for the given tables; `setting` and `column` are checked identifiers. */
export function probeSql(tableOids: readonly string[], column: string, setting: string): string {
  const oids = `'{${tableOids.filter((oid) => /^\d+$/.test(oid)).join(",")}}'::oid[]`;
  return `DO $keel_rls_probe$
DECLARE
  t oid; value text; what text; rel text; label text; typ text; state text; tenant text; other text; n bigint;
  found jsonb := '[]'::jsonb;
  -- Unset (NULL) only on a connection that never set it: once set, it reads '' after the transaction.
  states text[] := CASE WHEN current_setting('${setting}', true) IS NULL
    THEN ARRAY['no tenant set (unset)', 'no tenant set (empty)', 'an unknown tenant set']
    ELSE ARRAY['no tenant set (empty)', 'an unknown tenant set'] END;
BEGIN
  -- States outside, tables inside: every table is tried unset before anything sets the setting.
  FOREACH state IN ARRAY states LOOP
    FOREACH t IN ARRAY ${oids} LOOP
      rel := t::regclass::text;
      SELECT n.nspname || '.' || c.relname INTO label FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = t;
      SELECT format_type(a.atttypid, NULL) INTO typ FROM pg_attribute a
        WHERE a.attrelid = t AND a.attname = '${column}' AND NOT a.attisdropped;
      tenant := CASE state WHEN 'no tenant set (unset)' THEN NULL WHEN 'no tenant set (empty)' THEN ''
        ELSE CASE WHEN typ = 'uuid' THEN gen_random_uuid()::text
          WHEN typ IN ('bigint', 'integer', 'smallint') THEN (-1 - floor(random() * 30000))::int::text
          ELSE 'keel-rls-probe-' || md5(random()::text) END END;
      other := CASE WHEN typ = 'uuid' THEN gen_random_uuid()::text
        WHEN typ IN ('bigint', 'integer', 'smallint') THEN (-30001 - floor(random() * 2000))::int::text
        ELSE 'keel-rls-probe-' || md5(random()::text) END;
      IF tenant IS NOT NULL THEN PERFORM set_config('${setting}', tenant, true); END IF;
      IF has_table_privilege(t, 'SELECT') THEN
        BEGIN
          EXECUTE format('SELECT count(*) FROM (SELECT 1 FROM %s LIMIT 1) probe', rel) INTO n;
          IF n > 0 THEN found := found || jsonb_build_object('table', label, 'what', 'a SELECT saw rows', 'when', state); END IF;
        EXCEPTION WHEN OTHERS THEN NULL; -- an error (a cast of the setting) shows nothing
        END;
      END IF;
      -- Another tenant's row, and a row of no tenant: neither may be written.
      FOREACH value IN ARRAY ARRAY[other, NULL] LOOP
        IF has_column_privilege(t, '${column}', 'INSERT') THEN
          what := CASE WHEN value IS NULL THEN 'an INSERT of a row of no tenant' ELSE 'an INSERT of another tenant''s row' END;
          BEGIN
            EXECUTE format('INSERT INTO %s (%I) VALUES ($1::%s)', rel, '${column}', typ) USING value;
            RAISE EXCEPTION USING ERRCODE = '${UNDO}';
          EXCEPTION WHEN SQLSTATE '${UNDO}' THEN
            found := found || jsonb_build_object('table', label, 'what', what || ' went through', 'when', state);
          -- These are checked after the policy's WITH CHECK: the row got past it.
          WHEN not_null_violation OR unique_violation OR foreign_key_violation THEN
            found := found || jsonb_build_object('table', label, 'what', what || ' got past the policy', 'when', state);
          WHEN OTHERS THEN NULL; -- refused by the policy (42501), or by a trigger, default or CHECK first
          END;
        END IF;
      END LOOP;
      -- Blind writes (reading no column, so only the UPDATE and DELETE policies pick the rows): any row
      -- reached is a leak, even one the WITH CHECK then refused (42501: privileges were checked above).
      IF has_column_privilege(t, '${column}', 'UPDATE') THEN
        n := 0;
        BEGIN
          EXECUTE format('UPDATE %s SET %I = $1::%s', rel, '${column}', typ) USING other;
          GET DIAGNOSTICS n = ROW_COUNT;
          RAISE EXCEPTION USING ERRCODE = '${UNDO}';
        EXCEPTION WHEN SQLSTATE '${UNDO}' THEN NULL;
        WHEN insufficient_privilege OR not_null_violation OR unique_violation OR foreign_key_violation THEN n := 1;
        WHEN OTHERS THEN NULL;
        END;
        IF n > 0 THEN found := found || jsonb_build_object('table', label, 'what', 'an UPDATE reached rows', 'when', state); END IF;
      END IF;
      IF has_table_privilege(t, 'DELETE') THEN
        n := 0;
        BEGIN
          EXECUTE format('DELETE FROM %s', rel);
          GET DIAGNOSTICS n = ROW_COUNT;
          RAISE EXCEPTION USING ERRCODE = '${UNDO}';
        EXCEPTION WHEN SQLSTATE '${UNDO}' THEN NULL;
        WHEN foreign_key_violation THEN n := 1;
        WHEN OTHERS THEN NULL;
        END;
        IF n > 0 THEN found := found || jsonb_build_object('table', label, 'what', 'a DELETE removed rows', 'when', state); END IF;
      END IF;
    END LOOP;
  END LOOP;
  RAISE EXCEPTION USING ERRCODE = '${PROBE_DONE}', MESSAGE = found::text;
END
$keel_rls_probe$`;
}

/**
 * Runs the probe and gives what it found, or the reason it could not run (a problem too: the check then
 * proves less than it says).
 */
export async function runProbe(
  query: SqlQuery,
  tableOids: readonly string[],
  column: string,
  setting: string,
): Promise<{ readonly findings: readonly ProbeFinding[] } | { readonly failed: string }> {
  if (tableOids.length === 0) return { findings: [] };
  try {
    await query(probeSql(tableOids, column, setting), []);
    return { failed: "the probe ended without its findings" };
  } catch (thrown) {
    const error = thrown as { code?: unknown; message?: unknown };
    if (error.code !== PROBE_DONE || typeof error.message !== "string") {
      return { failed: typeof error.message === "string" ? error.message : String(thrown) };
    }
    return { findings: JSON.parse(error.message) as ProbeFinding[] };
  }
}
