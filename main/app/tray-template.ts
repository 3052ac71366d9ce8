import type { MenuItemConstructorOptions } from 'electron';
import type { TrayAction, TrayItem } from './tray-menu';

/** Turns the pure tray menu into Electron's menu template, wiring each item to `onAction`. */
export function toMenuTemplate(
  items: TrayItem[],
  onAction: (action: TrayAction) => void,
): MenuItemConstructorOptions[] {
  return items.map((item): MenuItemConstructorOptions => {
    if (item.kind === 'separator') return { type: 'separator' };
    if (item.kind === 'label') return { label: item.label, enabled: false };
    if (item.kind === 'submenu') return { label: item.label, submenu: toMenuTemplate(item.items, onAction) };
    if (item.kind === 'checkbox')
      return {
        label: item.label,
        type: 'checkbox',
        checked: item.checked,
        click: () => onAction(item.action),
      };
    return { label: item.label, enabled: item.enabled ?? true, click: () => onAction(item.action) };
  });
}
