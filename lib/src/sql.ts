import type { EntitySchema } from '@mikro-orm/core';
import type { EntityManager, Knex } from '@mikro-orm/postgresql';
import { logger } from './logger';

/**
 * A piece of SQL with its parameters. Values interpolated into `sql` become `?` placeholders (the
 * driver binds them); fragments interpolated into it are spliced in with their own parameters, so
 * a statement is built from parts without ever putting a value into its text.
 */
export interface SqlFragment {
  readonly text: string;
  readonly params: readonly unknown[];
}

const FRAGMENT = Symbol('sql fragment');

interface TaggedFragment extends SqlFragment {
  readonly [FRAGMENT]: true;
}

function fragment(text: string, params: readonly unknown[]): TaggedFragment {
  return { text, params, [FRAGMENT]: true };
}

function isFragment(value: unknown): value is TaggedFragment {
  return typeof value === 'object' && value !== null && FRAGMENT in value;
}

/**
 * `sql\`select * from t where a = ${a} and ${condition}\``: values are bound, fragments spliced.
 * An array value is bound as one PostgreSQL array (`where id = any(${ids})`, its element type taken
 * from the column), so a statement's text does not change with the number of values.
 */
export function sql(strings: TemplateStringsArray, ...values: unknown[]): SqlFragment {
  let text = strings[0];
  const params: unknown[] = [];
  values.forEach((value, index) => {
    if (isFragment(value)) {
      text += value.text;
      params.push(...value.params);
    } else {
      text += '?';
      params.push(value);
    }
    text += strings[index + 1];
  });
  return fragment(text, params);
}

/** SQL text written in the code, never from input: a column or table name chosen from a fixed set. */
sql.raw = (text: string): SqlFragment => fragment(text, []);

/** Nothing: an optional condition that does not apply. */
sql.empty = fragment('', []);

/** Fragments joined by `separator` (`, `, ` and `, ` union all `). */
sql.join = (parts: readonly SqlFragment[], separator: string): SqlFragment =>
  fragment(parts.map((part) => part.text).join(separator), parts.flatMap((part) => part.params));

/** PostgreSQL's text form of an array: `{"a","b"}`, each element quoted, null as NULL. */
function arrayLiteral(values: readonly unknown[]): string {
  return `{${values.map((value) => (value === null || value === undefined ? 'NULL' : `"${String(value).replace(/["\\]/g, '\\$&')}"`)).join(',')}}`;
}

/** A PostgreSQL `text[]` bound as one parameter, where nothing else tells its type (`@>`). */
sql.textArray = (values: readonly string[]): SqlFragment => fragment('?::text[]', [arrayLiteral(values)]);

/**
 * How many statement texts each process keeps prepared (`keepPlan`, on each connection that runs
 * them). A text is the statement's shape, its values apart (a list is one array), so the hub's
 * own are a few dozen; the bound keeps what PostgreSQL holds per connection bounded even if some
 * shape (rows inserted at once) varied freely: the statements past it run as the ORM runs them.
 */
export const PREPARED_STATEMENTS = 200;

const preparedNames = new Map<string, string>();

/** The name a statement is prepared under, or null once `PREPARED_STATEMENTS` texts have one. */
function preparedName(text: string): string | null {
  const known = preparedNames.get(text);
  if (known !== undefined) return known;
  if (preparedNames.size >= PREPARED_STATEMENTS) return null;
  // Said once: some statement's text varies with its values, and what runs after it is planned each time.
  if (preparedNames.size === PREPARED_STATEMENTS - 1) logger.warn({ prepared: PREPARED_STATEMENTS }, 'the prepared statements are all in use; further statement texts are planned on every run');
  const name = `lapor_${preparedNames.size + 1}`;
  preparedNames.set(text, name);
  return name;
}

export interface ExecuteOptions {
  /**
   * Prepare the statement (named, its values bound) and let PostgreSQL keep one plan for all its
   * values once a few runs have shown that plan to cost no more than planning each run: for a
   * statement whose best plan does not depend on its values (rows by their key, a page of each
   * owner's rows along its index, an insert). Its parsing and planning then happen once per
   * connection. Not for one whose values decide the plan: a kept plan guesses their selectivity,
   * and guessed wrong it is orders slower (a search for a rare word was, 0.5–1.3 s at a million
   * complaints, until its oldest slice was fenced).
   */
  keepPlan?: boolean;
}

/**
 * Runs a statement on the request's EntityManager (or a transaction's) and returns its rows. By
 * default as the ORM runs it: the values written into the text, so that each run is planned for
 * its own values; `keepPlan` prepares it instead.
 */
export async function execute<T extends object = Record<string, unknown>>(em: EntityManager, statement: SqlFragment, options: ExecuteOptions = {}): Promise<T[]> {
  // As the ORM's `execute`: a date is an instant in UTC, and a driver error is the ORM's exception of its kind.
  const values = statement.params.map((value) => (value instanceof Date ? value.toISOString() : Array.isArray(value) ? arrayLiteral(value) : (value ?? null)));
  const name = options.keepPlan ? preparedName(statement.text) : null;
  if (name === null) return em.execute<T[]>(statement.text, values);
  // The configured hook sees each statement, as the ORM's own (tests count them).
  em.config.get('onQuery')(statement.text, values);
  const query = em.getConnection().getKnex().raw(statement.text, values as Knex.RawBinding[]).options({ name });
  const transaction = em.getTransactionContext();
  if (transaction) query.transacting(transaction);
  try {
    return ((await query) as { rows: T[] }).rows;
  } catch (error) {
    throw em.getDriver().convertException(error as Error);
  }
}

/**
 * Rows of an entity's table as that entity's values, for what a request only reads: the values
 * `em.map` gives (dates parsed, custom types such as arrays converted), without what `em.map` adds
 * for an entity the request may change (identity map, change-tracking snapshot, validation), which
 * cost the complaints subgraph more CPU than everything else in an inbox page. Nothing flushes a
 * change made to one of these objects.
 */
export function readRows<T extends object>(em: EntityManager, schema: EntitySchema<T, never>, rows: readonly Record<string, unknown>[]): T[] {
  const meta = em.getMetadata().get(schema.meta.className);
  const comparator = em.getComparator();
  const platform = em.getPlatform();
  const converted = meta.props.filter((prop) => prop.customType && prop.fieldNames?.length);
  return rows.map((row) => {
    const values = comparator.mapResult(meta.className, row) as Record<string, unknown>;
    for (const prop of converted) {
      if (values[prop.name] != null) values[prop.name] = prop.customType!.convertToJSValue(values[prop.name], platform, { mode: 'serialization' });
    }
    return values as T;
  });
}

/**
 * `insert into <table> (<every column>) values (…), …` of whole rows of an entity, each value
 * converted for the database as the ORM converts it (arrays, blobs): one of several writes sent as
 * one statement (`writeTogether`), where a flush would send a statement per table. Every property
 * of the entity must be set on each row.
 */
export function insertRows<T extends object>(em: EntityManager, schema: EntitySchema<T, never>, rows: readonly T[]): SqlFragment {
  const meta = em.getMetadata().get(schema.meta.className);
  const platform = em.getPlatform();
  const props = meta.props.filter((prop) => prop.persist !== false && prop.fieldNames?.length === 1);
  const values = rows.map((row) => {
    const converted = props.map((prop) => {
      const value = (row as Record<string, unknown>)[prop.name] ?? null;
      return value !== null && prop.customType ? prop.customType.convertToDatabaseValue(value, platform, { mode: 'query' }) : value;
    });
    return sql`(${sql.join(
      converted.map((value) => sql`${value}`),
      ', ',
    )})`;
  });
  const table = sql.raw(`"${meta.schema}"."${meta.tableName}" (${props.map((prop) => `"${prop.fieldNames[0]}"`).join(', ')})`);
  return sql`insert into ${table} values ${sql.join(values, ', ')}`;
}

/**
 * Writes (inserts, updates that return nothing needed) sent as one statement, each a
 * data-modifying `with` part: it commits or fails as a whole without a transaction, in one round
 * trip. PostgreSQL runs the parts on one snapshot, so none reads what another writes; foreign keys
 * between them are checked at the end of the statement. They are inserts and updates by key,
 * whose plan no value changes: it is kept (`keepPlan`).
 */
export async function writeTogether(em: EntityManager, writes: readonly SqlFragment[]): Promise<void> {
  if (writes.length === 0) return;
  const parts = writes.map((write, index) => sql`${sql.raw(`w${index}`)} as (${write})`);
  await execute(em, sql`with ${sql.join(parts, ', ')} select 1`, { keepPlan: true });
}
