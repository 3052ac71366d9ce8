/** A value made on first use, once, however many callers ask while it is being made. */
export interface Lazy<T> {
  /** The value if it is made already (the hot path reads it without a promise per call). */
  readonly value: T | undefined;
  /** The value, made now if needed. A failed attempt is forgotten, so the next call tries again. */
  get(): Promise<T>;
}

export function lazy<T>(make: () => Promise<T>): Lazy<T> {
  let value: T | undefined;
  let making: Promise<T> | undefined;
  return {
    get value() {
      return value;
    },
    get() {
      making ??= make().then(
        (made) => {
          value = made;
          return made;
        },
        (error: unknown) => {
          making = undefined;
          throw error;
        },
      );
      return making;
    },
  };
}
