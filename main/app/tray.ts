import { join } from 'node:path';
import { Menu, nativeImage, Tray } from 'electron';
import { type TrayAction, type TrayState, trayIcon, trayMenu, trayTooltip } from './tray-menu';
import { toMenuTemplate } from './tray-template';

/** The tray icon and menu, rebuilt from state on every change. */
export class AppTray {
  private readonly tray: Tray;
  private lastKey = '';

  constructor(
    private readonly assetsDir: string,
    private readonly onAction: (action: TrayAction) => void,
    onClick: () => void,
  ) {
    this.tray = new Tray(this.icon('stopped'));
    this.tray.on('click', onClick);
  }

  bounds() {
    return this.tray.getBounds();
  }

  update(state: TrayState): void {
    const key = JSON.stringify(state);
    if (key === this.lastKey) return;
    this.lastKey = key;
    this.tray.setImage(this.icon(trayIcon(state)));
    this.tray.setToolTip(trayTooltip(state));
    this.tray.setContextMenu(Menu.buildFromTemplate(toMenuTemplate(trayMenu(state), this.onAction)));
  }

  destroy(): void {
    this.tray.destroy();
  }

  private icon(state: 'running' | 'stopped' | 'error') {
    const mac = process.platform === 'darwin';
    const image = nativeImage.createFromPath(
      join(this.assetsDir, `tray-${state}${mac ? 'Template' : ''}.png`),
    );
    if (mac) image.setTemplateImage(true);
    return image;
  }
}
