"""The user's own API tokens: make one (the secret shown once), see them, revoke one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from lindung.api.forms import TokenForm
from lindung.api.models import ApiToken
from lindung.api.tokens import create_token, revoke_token


@login_required
def token_list(request):
    form = TokenForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        _token, secret = create_token(user=request.user, nama=data["nama"], write=data["tulis"], days=data["hari"])
        form = TokenForm()
    tokens = ApiToken.objects.filter(user=request.user)
    return render(request, "api/tokens.html", {"form": form, "tokens": tokens, "secret": secret})


@login_required
@require_POST
def token_revoke(request, pk):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    revoke_token(token=token, user=request.user)
    messages.success(request, f"Token \u201c{token.nama}\u201d dicabut; sistem yang memakainya tidak bisa masuk lagi.")
    return redirect("api_tokens")
