/** A button for an admin action: viewers see it disabled, with the reason as its tooltip and description. */
import { useCanAct, VIEWER_CANNOT_ACT } from '../auth/session';

export function ActionButton({
  className = 'button-secondary',
  disabled,
  title,
  type = 'button',
  ...props
}: React.ButtonHTMLAttributes<HTMLButtonElement>) {
  const canAct = useCanAct();
  return (
    <button
      {...props}
      type={type}
      className={className}
      disabled={!canAct || disabled}
      title={canAct ? title : VIEWER_CANNOT_ACT}
    />
  );
}
