from personnel.scope import grants_of


def roles(request):
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {}
    return {"my_grants": grants_of(user)}
