import { render } from 'preact';
import { ApiClient } from './api.js';
import { App } from './components/App.js';
import { Controller } from './controller.js';
import { ConsoleSocket, socketUrl } from './socket.js';
import { createStore } from './state.js';

const api = new ApiClient();
const store = createStore();
const controller = new Controller({
  api,
  store,
  createSocket: (on, checkSession) => new ConsoleSocket({ url: socketUrl(window.location), on, checkSession }),
});

const root = document.getElementById('app');
if (root) {
  render(<App controller={controller} store={store} lang="en" />, root);
  void controller.boot();
}
