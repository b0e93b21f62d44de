import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import './app/styles.css';
import { createLabStore } from './store/labStore';
import { LabStoreProvider } from './store/context';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <LabStoreProvider store={createLabStore()}>
      <App />
    </LabStoreProvider>
  </StrictMode>,
);
