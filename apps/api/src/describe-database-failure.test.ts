import { describe, expect, it } from 'vitest';
import { describeDatabaseFailure } from './describe-database-failure';

const target = '127.0.0.1:5432/shop';

describe('the startup line for a database that cannot be used', () => {
  it('asks whether Postgres is running when nothing answers on the port', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), {
      code: 'ECONNREFUSED',
    });
    expect(describeDatabaseFailure(refused, target)).toBe(
      'cannot reach the database at 127.0.0.1:5432/shop (ECONNREFUSED). Is Postgres running? Check DATABASE_URL.',
    );
  });

  it('gives the driver message when the connection attempt times out without a code', () => {
    const timeout = new Error('Connection terminated due to connection timeout');
    expect(describeDatabaseFailure(timeout, target)).toBe(
      'cannot reach the database at 127.0.0.1:5432/shop (Connection terminated due to connection timeout). Is Postgres running? Check DATABASE_URL.',
    );
  });

  it("quotes Postgres's own reason when the server answers but refuses", () => {
    // The fields pg's DatabaseError carries for a server-side refusal.
    const missing = Object.assign(new Error('database "shop" does not exist'), {
      severity: 'FATAL',
      code: '3D000',
    });
    expect(describeDatabaseFailure(missing, target)).toBe(
      'the database at 127.0.0.1:5432/shop refused the connection: database "shop" does not exist. Check DATABASE_URL.',
    );
  });
});
