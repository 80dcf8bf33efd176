import { CanActivate, ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AccountsService, DomainError, PUBLIC_KEY, Principal, ROLES_KEY, RequestContext, Role } from '@app/core';
import type { FastifyRequest } from 'fastify';

/**
 * Deny by default: a route opens only through @Public() or @Roles(...). Callers are identified by a
 * bearer token (people) or an X-Api-Key header (the bank).
 */
@Injectable()
export class AccessGuard implements CanActivate {
  private readonly logger = new Logger(AccessGuard.name);

  constructor(
    private readonly reflector: Reflector,
    private readonly accounts: AccountsService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest & { user?: Principal }>();
    const principal = await this.identify(request);
    request.user = principal;
    RequestContext.setPrincipal(principal);

    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const roles = this.reflector.getAllAndOverride<Role[]>(ROLES_KEY, targets);
    if (!roles) {
      this.logger.warn(`route ${request.method} ${request.routeOptions.url} declares no access rule: denied`);
      throw new DomainError(403, 'AUTH.FORBIDDEN', 'This route is not open to anyone.');
    }
    if (!principal) throw new DomainError(401, 'AUTH.UNAUTHENTICATED', 'Log in first: send a bearer token (or the bank’s X-Api-Key).');
    if (!roles.includes(principal.role)) throw new DomainError(403, 'AUTH.FORBIDDEN', `This is not open to the ${principal.role} role.`);
    return true;
  }

  private async identify(request: FastifyRequest): Promise<Principal | undefined> {
    const apiKey = request.headers['x-api-key'];
    if (typeof apiKey === 'string' && apiKey) return this.accounts.principalFromApiKey(apiKey);
    const [scheme, token] = (request.headers.authorization ?? '').split(' ');
    if (scheme?.toLowerCase() === 'bearer' && token) return this.accounts.principalFromToken(token);
    return undefined;
  }
}
