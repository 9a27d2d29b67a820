/** A nullable column as an optional field: SQL NULL becomes undefined (row mappers, one per table). */
export const fromNull = <T>(v: T | null): T | undefined => (v === null ? undefined : v);
