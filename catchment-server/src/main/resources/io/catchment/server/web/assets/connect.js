// The result page after connecting: keeps the picker's access token for this tab only, then opens
// the picker at once or behind a "Choose files" button.
import { Api } from './api.js';
import { boot, h } from './ui.js';
import { Picker } from './picker.js';

const data = boot();
const mount = document.getElementById('picker');
const hint = document.getElementById('picker-hint');
const key = `catchment.picker.${data.data_source_id}`;

// The token arrives once, in the page that redeemed the hand-off; it lives on in this tab's
// session storage (so a reload keeps working) and leaves the DOM at once.
if (data.tokens) sessionStorage.setItem(key, JSON.stringify(data.tokens));
document.getElementById('boot')?.remove();
const stored = sessionStorage.getItem(key);

if (!stored) {
  hint.textContent = 'To choose files, open the file picker again from the application.';
} else {
  const api = new Api({
    token: JSON.parse(stored),
    onTokens: (pair) => sessionStorage.setItem(key, JSON.stringify(pair)),
  });
  const picker = new Picker(mount, api, data);
  if (data.open) {
    picker.open();
  } else {
    const button = h('button', { class: 'primary', type: 'button', id: 'open-picker' }, 'Choose files');
    button.addEventListener('click', () => { button.remove(); picker.open(); });
    hint.after(button);
  }
}
