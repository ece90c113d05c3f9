// Argo CD 2.8–3.4 exposes moment as window.Moment beside the React 16.14 UMD globals.
import moment from 'moment';

(window as unknown as Record<string, unknown>).Moment = moment;
