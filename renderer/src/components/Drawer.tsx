import { type ReactNode, useEffect, useRef } from 'react';

/** A side panel over the page: a modal <dialog>, so focus stays inside and Escape closes it. */
export function Drawer({
  title,
  onClose,
  children,
}: {
  title: string;
  onClose(): void;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal?.();
    return () => dialog?.close?.();
  }, []);
  return (
    <dialog ref={ref} className="drawer" aria-label={title} onClose={onClose} onCancel={onClose}>
      <header className="drawer-header">
        <h2>{title}</h2>
        <button type="button" className="button" onClick={onClose}>
          Close
        </button>
      </header>
      <div className="drawer-body">{children}</div>
    </dialog>
  );
}
