/** The outcome of an action next to its button: the server's message on failure, a short line on success. */
import { errorMessage } from '../error-message';

interface MutationLike<TData> {
  isError: boolean;
  isSuccess: boolean;
  error: unknown;
  data: TData | undefined;
}

export function MutationMessage<TData>({
  mutation,
  success,
}: {
  mutation: MutationLike<TData>;
  success: (data: TData) => string;
}) {
  if (mutation.isError) {
    return (
      <p role="alert" className="message message-danger">
        {errorMessage(mutation.error)}
      </p>
    );
  }
  if (mutation.isSuccess && mutation.data !== undefined) {
    return (
      <p role="status" className="message message-success">
        {success(mutation.data)}
      </p>
    );
  }
  return null;
}
