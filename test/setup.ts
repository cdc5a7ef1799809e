import 'aws-sdk-client-mock-jest';

// aws-local-stepfunctions uses Promise.withResolvers, which Node 20 lacks.
type WithResolvers = <T>() => { promise: Promise<T>; resolve: (value: T) => void; reject: (reason?: unknown) => void };
const promiseWithResolvers = Promise as unknown as { withResolvers?: WithResolvers };
if (!promiseWithResolvers.withResolvers) {
  promiseWithResolvers.withResolvers = <T>() => {
    let resolve!: (value: T) => void;
    let reject!: (reason?: unknown) => void;
    const promise = new Promise<T>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
}
