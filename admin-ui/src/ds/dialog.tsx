// The modal confirmation, in a module of its own: react-aria's overlays (focus
// scope, scroll lock, dismissal) then load only with the pages that confirm.
import type { ReactNode } from 'react';
import { Dialog, Heading, Modal, ModalOverlay } from 'react-aria-components';
import { Button } from './index.js';

/** A modal confirmation: the question, what will happen, confirm or cancel. */
export default function ConfirmDialog(p: {
  isOpen: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  cancelLabel: string;
  onConfirm(): void;
  onCancel(): void;
  danger?: boolean;
}) {
  return (
    <ModalOverlay
      className="modal-overlay"
      isOpen={p.isOpen}
      onOpenChange={(open) => (!open ? p.onCancel() : undefined)}
      isDismissable
    >
      <Modal className="modal">
        <Dialog role="alertdialog">
          <Heading slot="title">{p.title}</Heading>
          {p.children}
          <div className="btn-row">
            <Button variant={p.danger ? 'danger' : 'primary'} onPress={p.onConfirm}>
              {p.confirmLabel}
            </Button>
            <Button variant="secondary" onPress={p.onCancel}>
              {p.cancelLabel}
            </Button>
          </div>
        </Dialog>
      </Modal>
    </ModalOverlay>
  );
}
