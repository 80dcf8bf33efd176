import { ExecutionContext, SetMetadata, createParamDecorator } from '@nestjs/common';
import { Principal, Role } from './principal';

export const PUBLIC_KEY = 'access:public';
export const ROLES_KEY = 'access:roles';

/** Open to anyone, logged in or not. Every route declares either this or @Roles: deny by default. */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/** Only these roles. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

export const CurrentUser = createParamDecorator((_: unknown, context: ExecutionContext): Principal => {
  return context.switchToHttp().getRequest().user;
});
