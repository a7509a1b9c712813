/**
 * Typed reads of a parsed form body, failing the way Stripe does: `Missing required param: x.`,
 * `Invalid integer: abc`, `Received unknown parameter: y`, each naming the parameter in bracket notation
 * (`line_items[0][price_data][unit_amount]`). An empty string means "not given", as in Stripe's encoding.
 */
import { invalidParam, invalidRequest, missingParam, unknownParam } from './errors';
import { FormBodyError, type FormObject, type FormValue, parseFormBody } from './form-body';

export interface RangeFilter {
  gt?: number;
  gte?: number;
  lt?: number;
  lte?: number;
}

const METADATA_LIMITS = { keys: 50, keyLength: 40, valueLength: 500 };

function describe(value: FormValue): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Arrays arrive as arrays, or as hashes with numeric keys when the client skipped an index. */
function asList(value: FormValue): FormValue[] | undefined {
  if (Array.isArray(value)) return value;
  if (typeof value === 'string') return undefined;
  const keys = Object.keys(value);
  if (!keys.every((key) => /^\d+$/.test(key))) return undefined;
  return keys.sort((a, b) => Number(a) - Number(b)).map((key) => value[key] ?? '');
}

export class FormParams {
  constructor(
    private readonly values: FormObject,
    private readonly path = '',
  ) {}

  static parse(body: string): FormParams {
    try {
      return new FormParams(parseFormBody(body));
    } catch (error) {
      if (error instanceof FormBodyError)
        throw invalidRequest(error.message, { param: error.param });
      throw error;
    }
  }

  /** The parameter's full name, as Stripe writes it in errors. */
  nameOf(key: string): string {
    return this.path ? `${this.path}[${key}]` : key;
  }

  has(key: string): boolean {
    const value = this.values[key];
    return value !== undefined && value !== '';
  }

  /** Stripe refuses parameters it does not know; so do we, which catches typos in our own calls. */
  allowOnly(allowed: readonly string[]): this {
    for (const key of Object.keys(this.values)) {
      if (!allowed.includes(key)) throw unknownParam(this.nameOf(key));
    }
    return this;
  }

  string(key: string): string | undefined {
    const value = this.values[key];
    if (value === undefined || value === '') return undefined;
    if (typeof value !== 'string') {
      throw invalidParam(this.nameOf(key), `Invalid string: ${describe(value)}`);
    }
    return value;
  }

  requiredString(key: string): string {
    const value = this.string(key);
    if (value === undefined) throw missingParam(this.nameOf(key));
    return value;
  }

  integer(key: string, bounds: { min?: number; max?: number } = {}): number | undefined {
    const raw = this.string(key);
    if (raw === undefined) return undefined;
    if (!/^-?\d+$/.test(raw)) {
      throw invalidParam(this.nameOf(key), `Invalid integer: ${raw}`, 'parameter_invalid_integer');
    }
    const value = Number(raw);
    if (bounds.min !== undefined && value < bounds.min) {
      throw invalidParam(
        this.nameOf(key),
        `This value must be greater than or equal to ${bounds.min}.`,
        'parameter_invalid_integer',
      );
    }
    if (bounds.max !== undefined && value > bounds.max) {
      throw invalidParam(
        this.nameOf(key),
        `This value must be less than or equal to ${bounds.max}.`,
        'parameter_invalid_integer',
      );
    }
    return value;
  }

  requiredInteger(key: string, bounds: { min?: number; max?: number } = {}): number {
    const value = this.integer(key, bounds);
    if (value === undefined) throw missingParam(this.nameOf(key));
    return value;
  }

  boolean(key: string): boolean | undefined {
    const raw = this.string(key);
    if (raw === undefined) return undefined;
    if (raw !== 'true' && raw !== 'false') {
      throw invalidParam(this.nameOf(key), `Invalid boolean: ${raw}`);
    }
    return raw === 'true';
  }

  oneOf<T extends string>(key: string, allowed: readonly T[]): T | undefined {
    const raw = this.string(key);
    if (raw === undefined) return undefined;
    if (!(allowed as readonly string[]).includes(raw)) {
      throw invalidParam(this.nameOf(key), `Invalid ${key}: must be one of ${allowed.join(', ')}`);
    }
    return raw as T;
  }

  url(key: string): string | undefined {
    const raw = this.string(key);
    if (raw === undefined) return undefined;
    // `{CHECKOUT_SESSION_ID}` is a template Stripe fills in; it must not make the URL invalid.
    const candidate = raw.replaceAll('{CHECKOUT_SESSION_ID}', 'cs_test_template');
    if (!URL.canParse(candidate) || !/^https?:$/.test(new URL(candidate).protocol)) {
      throw invalidParam(this.nameOf(key), 'Not a valid URL', 'url_invalid');
    }
    return raw;
  }

  object(key: string): FormParams | undefined {
    const value = this.values[key];
    if (value === undefined || value === '') return undefined;
    if (typeof value === 'string' || Array.isArray(value)) {
      throw invalidParam(this.nameOf(key), `Invalid hash`);
    }
    return new FormParams(value, this.nameOf(key));
  }

  /** An array of hashes, such as `line_items`. */
  objects(key: string): FormParams[] | undefined {
    const value = this.values[key];
    if (value === undefined || value === '') return undefined;
    const list = asList(value);
    if (!list) throw invalidParam(this.nameOf(key), 'Invalid array');
    return list.map((item, index) => {
      const name = `${this.nameOf(key)}[${index}]`;
      if (typeof item === 'string' || Array.isArray(item)) throw invalidParam(name, 'Invalid hash');
      return new FormParams(item, name);
    });
  }

  /** An array of strings, such as `expand` or `types`. */
  strings(key: string): string[] | undefined {
    const value = this.values[key];
    if (value === undefined || value === '') return undefined;
    const list = asList(value);
    if (!list) throw invalidParam(this.nameOf(key), 'Invalid array');
    return list.map((item, index) => {
      if (typeof item !== 'string') {
        throw invalidParam(`${this.nameOf(key)}[${index}]`, `Invalid string: ${describe(item)}`);
      }
      return item;
    });
  }

  expand(): string[] {
    return this.strings('expand') ?? [];
  }

  /** Metadata with Stripe's limits: 50 keys, keys up to 40 characters, values up to 500. */
  metadata(key = 'metadata'): Record<string, string> {
    const value = this.values[key];
    if (value === undefined || value === '') return {};
    if (typeof value === 'string') throw invalidParam(this.nameOf(key), 'Invalid hash');
    const entries = Array.isArray(value)
      ? value.map((item, index) => [String(index), item] as const)
      : Object.entries(value);
    if (entries.length > METADATA_LIMITS.keys) {
      throw invalidParam(this.nameOf(key), `Metadata can have at most 50 keys.`);
    }
    const metadata: Record<string, string> = {};
    for (const [name, item] of entries) {
      const param = `${this.nameOf(key)}[${name}]`;
      if (typeof item !== 'string') throw invalidParam(param, `Invalid string: ${describe(item)}`);
      if (name.length > METADATA_LIMITS.keyLength) {
        throw invalidParam(param, 'Metadata keys can be at most 40 characters long.');
      }
      if (item.length > METADATA_LIMITS.valueLength) {
        throw invalidParam(param, 'Metadata values can be at most 500 characters long.');
      }
      // An empty value unsets a key in Stripe; on a new object it is simply absent.
      if (item !== '') metadata[name] = item;
    }
    return metadata;
  }

  /** `created=1700000000` or `created[gte]=…&created[lt]=…`. */
  range(key: string): RangeFilter | undefined {
    const value = this.values[key];
    if (value === undefined || value === '') return undefined;
    if (typeof value === 'string') {
      const exact = this.requiredInteger(key);
      return { gte: exact, lte: exact };
    }
    const bounds = this.object(key);
    if (!bounds) return undefined;
    bounds.allowOnly(['gt', 'gte', 'lt', 'lte']);
    const filter: RangeFilter = {};
    for (const bound of ['gt', 'gte', 'lt', 'lte'] as const) {
      const parsed = bounds.integer(bound);
      if (parsed !== undefined) filter[bound] = parsed;
    }
    return filter;
  }
}
