// In-memory RegistryClient for unit tests: subjects with versions, ids, references, and request counting.
import type { RegisteredSchema, RegistryClient, SchemaReference } from '../src/registry/client.ts';

export class MemoryRegistry implements RegistryClient {
  readonly byId = new Map<number, RegisteredSchema>();
  readonly subjects = new Map<string, RegisteredSchema[]>();
  readonly calls: string[] = [];
  #next = 1;

  add(subject: string, schema: unknown, references: SchemaReference[] = []): number {
    const id = this.#next++;
    const versions = this.subjects.get(subject) ?? [];
    const registered: RegisteredSchema = {
      id,
      schema: JSON.stringify(schema),
      references,
      subject,
      version: versions.length + 1,
    };
    versions.push(registered);
    this.subjects.set(subject, versions);
    this.byId.set(id, registered);
    return id;
  }

  async lookup(subject: string, schema: string): Promise<RegisteredSchema | undefined> {
    this.calls.push(`lookup ${subject}`);
    return this.subjects.get(subject)?.find((v) => v.schema === schema);
  }
  async schemaById(id: number): Promise<RegisteredSchema | undefined> {
    this.calls.push(`id ${id}`);
    return this.byId.get(id);
  }
  async versions(subject: string): Promise<number[] | undefined> {
    this.calls.push(`versions ${subject}`);
    return this.subjects.get(subject)?.map((v) => v.version ?? 0);
  }
  async version(subject: string, version: number | 'latest'): Promise<RegisteredSchema | undefined> {
    this.calls.push(`version ${subject} ${version}`);
    const versions = this.subjects.get(subject);
    return version === 'latest' ? versions?.at(-1) : versions?.find((v) => v.version === version);
  }
  async register(subject: string, schema: string): Promise<number> {
    this.calls.push(`register ${subject}`);
    return this.add(subject, JSON.parse(schema));
  }
}
