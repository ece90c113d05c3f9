import * as React from 'react';
import type { Role } from '../model/revisions.ts';
import { badge } from './styles.ts';

export function RoleBadges({ roles }: { roles: readonly Role[] }) {
  return (
    <>
      {roles.map((role) => (
        <span key={role} style={badge(role)}>
          {role}
        </span>
      ))}
    </>
  );
}
