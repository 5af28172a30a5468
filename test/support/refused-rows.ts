// Makes the real database refuse some rows, for tests about what happens when a write fails part-way: a trigger
// raises on insert when the column holds the marker. Returns the undo.
import type { TestDatabase } from './database.ts';

export async function refuseRowsContaining(
  db: TestDatabase,
  table: 'bug_reports' | 'bug_conversations',
  column: 'title' | 'text',
  marker: string,
): Promise<() => Promise<void>> {
  const name = `refuse_${table}_${column}`;
  const em = db.orm.em.fork();
  await em.execute(
    `create or replace function ${name}() returns trigger language plpgsql as $$
     begin
       if position(${quote(marker)} in new.${column}) > 0 then
         raise exception 'test: % refuses this row', TG_TABLE_NAME;
       end if;
       return new;
     end $$`,
  );
  await em.execute(`create trigger ${name} before insert on ${table} for each row execute function ${name}()`);
  return async () => {
    await db.orm.em.fork().execute(`drop trigger if exists ${name} on ${table}`);
    await db.orm.em.fork().execute(`drop function if exists ${name}()`);
  };
}

function quote(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}
