// The globals Argo CD 3.5+ gives extensions, from the React 19 in node_modules (React 19 ships no
// UMD build): window.React, window.ReactDOM (the `react-dom` module, not `react-dom/client`),
// window.ReactJSXRuntime and window.Moment. Argo CD mounts its own UI with createRoot; the host
// page does too, through a private hook.
import moment from 'moment';
import * as React from 'react';
import * as ReactDOM from 'react-dom';
import { createRoot } from 'react-dom/client';
import * as ReactJSXRuntime from 'react/jsx-runtime';

const host = window as unknown as Record<string, unknown>;
host.React = React;
host.ReactDOM = ReactDOM;
host.ReactJSXRuntime = ReactJSXRuntime;
host.Moment = moment;
host.__rolloutKitHostMount = (element: React.ReactElement, container: Element) => {
  createRoot(container).render(element);
};
