/** The shared test services that the vitest global setup starts once per run and hands to every test file. */
export interface TestServices {
  postgres: {
    /** Connection string template: replace the database name with `urlFor`. */
    port: number;
    user: string;
    password: string;
    templateDatabase: string;
  };
  s3: {
    endpoint: string;
    region: string;
    accessKeyId: string;
    secretAccessKey: string;
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    restoreclickServices: TestServices;
  }
}

export function postgresUrl(services: TestServices, database: string): string {
  const { user, password, port } = services.postgres;
  return `postgres://${user}:${password}@127.0.0.1:${port}/${database}`;
}
