package api

import (
	"errors"
	"net/url"
	"slices"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/ror-recherche/ror"
)

// admins are the handlers of the administration of accounts: passwords,
// sessions, tokens, OpenID Connect identities.
type admins struct {
	users    Users // nil: no account administration
	sessions Sessions
	auth     *auth
}

// adminCall returns the administrator behind the request (token or
// session with its CSRF token); Forbidden for any other role.
func (s admins) adminCall(c *fiber.Ctx) (*ror.Account, error) {
	if s.users == nil {
		return nil, ror.Errorf(ror.Unavailable, "", "La gestion des comptes n'est pas possible sur ce service.")
	}
	acct, err := s.auth.authenticated(c)
	if err != nil {
		return nil, err
	}
	if acct.Role != ror.RoleAdmin {
		return nil, ror.Errorf(ror.Forbidden, "", "La gestion des comptes est réservée aux administrateurs.")
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return acct, nil
}

// accountName is the :nom of the route, percent-decoded.
func accountName(c *fiber.Ctx) string {
	n, err := url.PathUnescape(c.Params("nom"))
	if err != nil {
		return c.Params("nom")
	}
	return n
}

// handleAccountList is GET /api/v1/comptes: every account with its
// password, lockout, sessions and tokens (administrators).
func (s admins) handleAccountList(c *fiber.Ctx) error {
	if _, err := s.adminCall(c); err != nil {
		return err
	}
	list, err := s.users.ListAccounts(c.UserContext(), time.Now())
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"nombre": len(list), "comptes": list})
}

// newAccount is the body of POST /api/v1/comptes.
type newAccount struct {
	Name     string   `json:"nom"`
	Role     ror.Role `json:"role"`
	Scope    []string `json:"perimetre"`
	Password string   `json:"mot_de_passe"`
}

// handleAccountPost is POST /api/v1/comptes: an administrator creates a
// named account with its role, scope and first password.
func (s admins) handleAccountPost(c *fiber.Ctx) error {
	admin, err := s.adminCall(c)
	if err != nil {
		return err
	}
	var in newAccount
	if err := decodeJSON(c.Body(), &in); err != nil {
		return err
	}
	a := ror.Account{Name: in.Name, Role: in.Role, Scope: in.Scope}
	if err := s.users.CreateUser(c.UserContext(), a, in.Password, admin.Name); err != nil {
		return pointer(err)
	}
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"nom": a.Name, "message": "Compte « " + a.Name + " » créé."})
}

// pointer turns the store's field names that are the body's (all when
// none is listed) into JSON pointers; the others name the route's
// parameters.
func pointer(err error, body ...string) error {
	if e, ok := errors.AsType[*ror.Error](err); ok && e.Field != "" && e.Field[0] != '/' && (len(body) == 0 || slices.Contains(body, e.Field)) {
		return &ror.Error{Kind: e.Kind, Field: "/" + e.Field, Message: e.Message, Err: e.Err}
	}
	return err
}

// passwordReset is the body of POST /api/v1/comptes/:nom/mot-de-passe.
type passwordReset struct {
	Password string `json:"mot_de_passe"`
}

// handlePasswordReset is POST /api/v1/comptes/:nom/mot-de-passe: an
// administrator sets a new password, which lifts a lockout, and closes the
// account's sessions.
func (s admins) handlePasswordReset(c *fiber.Ctx) error {
	admin, err := s.adminCall(c)
	if err != nil {
		return err
	}
	var in passwordReset
	if err := decodeJSON(c.Body(), &in); err != nil {
		return err
	}
	name, ctx := accountName(c), c.UserContext()
	if err := s.users.SetPassword(ctx, name, in.Password, admin.Name); err != nil {
		return pointer(err, "mot_de_passe")
	}
	n, err := s.sessions.RevokeSessions(ctx, name, nil, admin.Name)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"nom": name, "sessions_fermees": n, "message": "Mot de passe de « " + name + " » réinitialisé."})
}

// handleAccountSessions is GET /api/v1/comptes/:nom/sessions.
func (s admins) handleAccountSessions(c *fiber.Ctx) error {
	if _, err := s.adminCall(c); err != nil {
		return err
	}
	list, err := s.sessions.Sessions(c.UserContext(), accountName(c))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"nom": accountName(c), "sessions": list})
}

// handleAccountSessionsDelete is DELETE /api/v1/comptes/:nom/sessions
// (?id= one of them): closes the account's sessions.
func (s admins) handleAccountSessionsDelete(c *fiber.Ctx) error {
	admin, err := s.adminCall(c)
	if err != nil {
		return err
	}
	var ids []string
	if id := c.Query("id"); id != "" {
		ids = []string{id}
	}
	n, err := s.sessions.RevokeSessions(c.UserContext(), accountName(c), ids, admin.Name)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"nom": accountName(c), "sessions_fermees": n})
}

// handleTokenPost is POST /api/v1/comptes/:nom/jetons: a new bearer token
// for the account's machines, shown once.
func (s admins) handleTokenPost(c *fiber.Ctx) error {
	admin, err := s.adminCall(c)
	if err != nil {
		return err
	}
	tok, err := s.users.NewToken(c.UserContext(), accountName(c), admin.Name)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"nom": accountName(c), "jeton": tok,
		"message": "Copier ce jeton maintenant : il ne sera plus affiché."})
}

// handleTokensDelete is DELETE /api/v1/comptes/:nom/jetons: revokes every
// token of the account (its password still works).
func (s admins) handleTokensDelete(c *fiber.Ctx) error {
	admin, err := s.adminCall(c)
	if err != nil {
		return err
	}
	n, err := s.users.RevokeTokens(c.UserContext(), accountName(c), admin.Name)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"nom": accountName(c), "jetons_revoques": n})
}

// handleAccountRevoke is POST /api/v1/comptes/:nom/revocation: disables
// the account, its tokens and sessions with it.
func (s admins) handleAccountRevoke(c *fiber.Ctx) error {
	admin, err := s.adminCall(c)
	if err != nil {
		return err
	}
	name := accountName(c)
	if name == admin.Name {
		return ror.Errorf(ror.Invalid, "nom", "Un administrateur ne peut pas désactiver son propre compte.")
	}
	if err := s.users.Revoke(c.UserContext(), name); err != nil {
		return err
	}
	if _, err := s.sessions.RevokeSessions(c.UserContext(), name, nil, admin.Name); err != nil {
		return err
	}
	return c.JSON(fiber.Map{"nom": name, "message": "Compte « " + name + " » désactivé."})
}
